#!/bin/bash
# tests/cli/report_sarif.sh — `trustfuzz report --sarif FILE` on a campaign's
# findings directory, checked against the SARIF 2.1.0 structure with
# python3's json module (no jq, no schema download):
#  - version "2.1.0", the OASIS $schema, one run, tool.driver name/version;
#  - one rule and one result per signature; rule ids unique, equal to the
#    signature ids (the findings' file names), results' ruleId/ruleIndex
#    pointing at their rule; short and full descriptions, help text;
#  - level "note" for known signatures and "warning" for new ones (a second
#    report with an empty known table makes every one new);
#  - every result's location is the fixture file, relative to the working
#    directory under %SRCROOT% (which originalUriBaseIds defines), and
#    exists; its properties hold every instance's verdict;
#  - rule ids are stable: a second campaign on another directory with the
#    same seed gives the same ids, and two reports give identical files.
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
rm -rf "$TF_TMP"
mkdir -p "$TF_TMP"
cd "$TF_TMP" || exit 1
fails=0
say() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
known=$TF_SRC/corpus/known-divergences.json
echo '{"schema": "trustfuzz-known-divergences", "version": 1, "entries": []}' >no-known.json
for d in a b; do
	"$TRUSTFUZZ" run --seed 7 --iterations 50 --jobs 1 --out "find-$d" --known "$known" >/dev/null ||
		say "trustfuzz run ($d) failed"
done
"$TRUSTFUZZ" report find-a --known "$known" --sarif known.sarif >/dev/null || say "report --sarif failed"
"$TRUSTFUZZ" report find-a --known "$known" --sarif known2.sarif --out find-a/report2 >/dev/null ||
	say "second report failed"
"$TRUSTFUZZ" report find-a --known no-known.json --sarif new.sarif --out find-a/report3 >/dev/null ||
	say "report with an empty table failed"
"$TRUSTFUZZ" report find-b --known "$known" --sarif b.sarif >/dev/null || say "report on find-b failed"
cmp -s known.sarif known2.sarif || say "two reports of one directory give different SARIF"

python3 - <<'EOF' || say "SARIF checks (above)"
import json, os, re, sys
bad = []
def load(p):
    try:
        return json.load(open(p, encoding="utf-8"))
    except Exception as e:
        bad.append("%s: not JSON: %s" % (p, e))
        return None

def check(path, want_level):
    log = load(path)
    if log is None:
        return set()
    if log.get("version") != "2.1.0":
        bad.append("%s: version %r" % (path, log.get("version")))
    if not str(log.get("$schema", "")).endswith("sarif-schema-2.1.0.json"):
        bad.append("%s: $schema %r" % (path, log.get("$schema")))
    runs = log.get("runs")
    if not isinstance(runs, list) or len(runs) != 1:
        bad.append("%s: want one run" % path)
        return set()
    run = runs[0]
    drv = run.get("tool", {}).get("driver", {})
    if drv.get("name") != "trustfuzz" or not drv.get("version"):
        bad.append("%s: tool.driver %r" % (path, drv))
    rules, results = drv.get("rules", []), run.get("results", [])
    ids = [r.get("id") for r in rules]
    files = sorted(f[:-5] for f in os.listdir("find-a/findings") if f.endswith(".json"))
    if sorted(ids) != files or len(set(ids)) != len(ids):
        bad.append("%s: rule ids are not the signature ids (%d rules, %d findings)" % (path, len(ids), len(files)))
    if len(results) != len(rules):
        bad.append("%s: %d results for %d rules" % (path, len(results), len(rules)))
    base = run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
    if base != "file://" + os.getcwd() + "/":
        bad.append("%s: %%SRCROOT%% is %r" % (path, base))
    levels = {}
    for r in rules:
        if not re.fullmatch(r"[0-9a-f]{16}", r.get("id", "")):
            bad.append("rule id %r" % r.get("id"))
        for k in ("shortDescription", "fullDescription", "help"):
            if not r.get(k, {}).get("text"):
                bad.append("rule %s: no %s" % (r.get("id"), k))
        lvl = r.get("defaultConfiguration", {}).get("level")
        if lvl not in ("note", "warning"):
            bad.append("rule %s: level %r" % (r.get("id"), lvl))
    for res in results:
        i = res.get("ruleIndex")
        if not isinstance(i, int) or i >= len(rules) or rules[i]["id"] != res.get("ruleId"):
            bad.append("result %s: ruleIndex %r" % (res.get("ruleId"), i))
            continue
        props = res.get("properties", {})
        lvl = res.get("level")
        want = want_level or ("note" if props.get("class") == "known" else "warning")
        if lvl != want or rules[i]["defaultConfiguration"]["level"] != want:
            bad.append("result %s: level %r, class %r" % (res["ruleId"], lvl, props.get("class")))
        if not res.get("message", {}).get("text"):
            bad.append("result %s: no message" % res["ruleId"])
        locs = res.get("locations", [])
        art = locs[0]["physicalLocation"]["artifactLocation"] if locs else {}
        if art.get("uriBaseId") != "%SRCROOT%" or art.get("uri") != "find-a/findings/%s.json" % res["ruleId"]:
            bad.append("result %s: location %r" % (res["ruleId"], art))
        elif not os.path.isfile(art["uri"]):
            bad.append("result %s: %s does not exist" % (res["ruleId"], art["uri"]))
        v = props.get("verdicts", {})
        if sorted(v) != ["kb", "openssl", "ref"] or any("status" not in x for x in v.values()):
            bad.append("result %s: verdicts %r" % (res["ruleId"], sorted(v)))
        if props.get("reproduces") is not True:
            bad.append("result %s: does not reproduce" % res["ruleId"])
        if res.get("partialFingerprints", {}).get("trustfuzzSignature/v1") != res["ruleId"]:
            bad.append("result %s: fingerprint" % res["ruleId"])
    return set(ids)

a = check("known.sarif", None)
check("new.sarif", "warning")
k = load("known.sarif")
if k and not any(r["level"] == "note" for r in k["runs"][0]["results"]):
    bad.append("known.sarif: no known (note) result with the real table")
b = load("b.sarif")
if b:
    ib = set(r["id"] for r in b["runs"][0]["tool"]["driver"]["rules"])
    if ib != a:
        bad.append("the same seed in another directory gives other rule ids")
for x in bad:
    print("  " + x)
sys.exit(1 if bad else 0)
EOF
[ $fails -eq 0 ] && echo "report_sarif: all checks passed"
exit $((fails > 0))
