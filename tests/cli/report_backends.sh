#!/bin/bash
# tests/cli/report_backends.sh — `trustfuzz report` on a campaign with all
# four evaluators (ref,kb,openssl,gnutls), with no evaluator special-cased:
#  - report.md and index.html hold the backend comparison ("What each
#    evaluator decides"): one column per instance, in campaign order, and
#    one row per signature of the signature table, the divergent pair's two
#    verdicts in bold, every cell a status;
#  - the signature table and the comparison name the same signatures;
#  - the harness and the run/minimize/report commands hold no evaluator
#    name as a string literal (the registry is the only place names live).
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
rm -rf "$TF_TMP"
mkdir -p "$TF_TMP"
fails=0
say() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
dir=$TF_TMP/find
"$TRUSTFUZZ" run --seed 3 --iterations 150 --jobs 1 --evaluators ref,kb,openssl,gnutls \
	--out "$dir" --known "$TF_SRC/corpus/known-divergences.json" --min-steps 300 >"$TF_TMP/run.log" 2>&1 ||
	say "trustfuzz run failed: $(tail -3 "$TF_TMP/run.log")"
"$TRUSTFUZZ" report "$dir" --out "$TF_TMP/rep" --known "$TF_SRC/corpus/known-divergences.json" \
	>"$TF_TMP/report.log" 2>&1 || say "trustfuzz report failed: $(tail -3 "$TF_TMP/report.log")"

python3 - "$TF_TMP/rep/report.md" "$TF_TMP/rep/index.html" <<'PY' || say "backend comparison (above)"
import re, sys
md = open(sys.argv[1]).read()
html = open(sys.argv[2]).read()
sec = md.split("### What each evaluator decides", 1)
assert len(sec) == 2, "report.md: no backend comparison"
rows = [l for l in sec[1].splitlines() if l.startswith("|")]
head = [c.strip() for c in rows[0].strip("|").split("|")]
assert head == ["signature", "class", "ref", "kb", "openssl", "gnutls"], head
body = rows[2:]
sigs = set()
for r in body:
    cells = [c.strip() for c in r.strip("|").split("|")]
    assert len(cells) == 6, r
    sig = cells[0].strip("`")
    sigs.add(sig)
    pair = sig.split(":", 1)[0].split("~")
    for name, cell in zip(head[2:], cells[2:]):
        status = cell.strip("*")
        assert re.fullmatch(r"200|403\.(7|13|16|17)", status), (sig, name, cell)
        assert cell.startswith("**") == (name in pair), (sig, name, cell)
table = md.split("## Divergence signatures", 1)[1].split("###", 1)[0]
listed = set(re.findall(r"^\| \d+ \| [^|]* \| `([^`]*)`", table, re.M))
assert listed and listed == sigs, (sorted(listed ^ sigs))
assert "gnutls" in " ".join(sigs), "no signature involves gnutls"
assert "<h3>What each evaluator decides</h3>" in html, "index.html: no backend comparison"
assert html.count("<th>gnutls</th>") >= 1, "index.html: no gnutls column"
print("backend comparison: %d signatures x 4 instances" % len(sigs))
PY

lits=$(cd "$TF_SRC" && grep -n -E '(^|[^\\])"(ref|kb|openssl|gnutls)([+*"])' harness/*.c harness/fuzz/*.c \
	cli/cmd_run.c cli/cmd_minimize.c cli/cmd_report.c | grep -v '^harness/prop' |
	grep -v -E '^[^:]*:[0-9]+:\s*(/?\*|//)')
[ -z "$lits" ] || say "evaluator names as string literals: $lits"
exit $((fails > 0))
