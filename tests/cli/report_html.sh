#!/bin/bash
# tests/cli/report_html.sh — `trustfuzz report` on a real campaign's findings
# directory, plus one finding made hostile (markup and quotes in its names,
# certificate ids and why):
#  - index.html, report.md and the plot are written; every <img> names a
#    file that exists; nothing is fetched (no script, no stylesheet link, no
#    http(s) or protocol-relative src/href); every SVG is well-formed XML;
#  - every finding has a section (--details 0) with every instance's verdict
#    and the reproduce commands; every signature of stats.json is in the
#    table and the Markdown summary; per-instance verdict counts add up;
#  - fixture text is escaped in HTML, Markdown and the Graphviz pictures;
#  - the same input gives the same bytes (HTML, Markdown, pictures);
#  - without Graphviz the report still works and shows the DOT source;
#  - an empty directory reports "no divergence"; bad input (no directory,
#    a bad stats.json, bad flags) is one line on stderr and exit 2.
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
rm -rf "$TF_TMP"
mkdir -p "$TF_TMP"
fails=0
say() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
known=$TF_SRC/corpus/known-divergences.json
dir=$TF_TMP/findings
"$TRUSTFUZZ" run --seed 1 --iterations 60 --jobs 1 --out "$dir" --known "$known" >/dev/null ||
	say "trustfuzz run failed"
nsig=$(ls "$dir"/findings/*.json | wc -l)
[ "$nsig" -ge 5 ] || say "the campaign found only $nsig signatures"

# Make one finding hostile: every name label and certificate id gets markup
# (renamed one to one, so the scenario keeps its shape), and so does its why.
victim=$(ls "$dir"/findings/*.json | head -n 1)
python3 - "$victim" <<'EOF' || say "could not make the hostile fixture"
import json, sys
path = sys.argv[1]
f = json.load(open(path))
sc = f["scenario"]
ren = {}
for i, n in enumerate(sc["names"]):
    ren[n] = "<script>alert(%d)</script>&" % i
for i, c in enumerate(sc["certs"]):
    ren[c["id"]] = "C%d\"'><img src=x onerror=alert(1)>" % i
def walk(v):
    if isinstance(v, str):
        return ren.get(v, v)
    if isinstance(v, list):
        return [walk(x) for x in v]
    if isinstance(v, dict):
        return {k: walk(x) for k, x in v.items()}
    return v
f["scenario"] = walk(sc)
f["expect"] = walk(f["expect"])
f["why"] = "<b>bold</b> & `code` | pipe *star* _under_ \"quote\" 'apos'"
json.dump(f, open(path, "w"), indent=2)
EOF
"$TRUSTFUZZ" show "$victim" >/dev/null 2>&1 || say "the hostile fixture does not parse: $("$TRUSTFUZZ" show "$victim" 2>&1 | head -1)"

out=$TF_TMP/out
if ! "$TRUSTFUZZ" report "$dir" --out "$out" --known "$known" --details 0 >"$TF_TMP/stdout" 2>"$TF_TMP/stderr"; then
	say "report failed: $(cat "$TF_TMP/stderr")"
fi
grep -q "^report: $nsig signatures" "$TF_TMP/stdout" || say "summary line: $(head -1 "$TF_TMP/stdout")"
for f in index.html report.md img/signatures.svg; do
	[ -s "$out/$f" ] || say "$f missing"
done
[ -s "$TF_TMP/stderr" ] && say "report wrote to stderr: $(cat "$TF_TMP/stderr")"

# With an empty known table every signature is new, and report.md then
# carries each finding's why (the hostile one's too).
echo '{"schema": "trustfuzz-known-divergences", "version": 1, "entries": []}' >"$TF_TMP/no-known.json"
"$TRUSTFUZZ" report "$dir" --out "$TF_TMP/allnew" --known "$TF_TMP/no-known.json" >/dev/null 2>&1 ||
	say "report with an empty known table failed"
grep -q "^| [0-9]* | known |" "$TF_TMP/allnew/report.md" && say "empty known table: a signature is still known"

python3 - "$dir" "$out" "$nsig" "$TF_TMP/allnew/report.md" <<'EOF' || say "index.html checks (above)"
import json, os, re, sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
d, out, nsig = sys.argv[1], sys.argv[2], int(sys.argv[3])
html = open(os.path.join(out, "index.html"), encoding="utf-8").read()
md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
md_new = open(sys.argv[4], encoding="utf-8").read()
stats = json.load(open(os.path.join(d, "stats.json")))
bad = []

class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.refs, self.tags = [], [], set()
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        for k in ("src", "href"):
            if k in a:
                self.refs.append(a[k])
p = P()
p.feed(html)
for t in ("script", "link", "iframe", "object", "embed"):
    if t in p.tags:
        bad.append("a <%s> element" % t)
for r in p.refs:
    if re.match(r"^(https?:)?//", r):
        bad.append("network reference %s" % r)
for src in p.imgs:
    if not src or not os.path.isfile(os.path.join(out, src)):
        bad.append("img %r: no such file" % src)
topo = [s for s in p.imgs if s.startswith("img/") and s != "img/signatures.svg"]
if len(topo) != nsig:
    bad.append("%d topology pictures for %d findings" % (len(topo), nsig))
for name in os.listdir(os.path.join(out, "img")):
    try:
        ET.parse(os.path.join(out, "img", name))
    except ET.ParseError as e:
        bad.append("img/%s is not well-formed XML: %s" % (name, e))
# Escaping: the hostile text is shown, never as markup.
if re.search(r"<script|<img src=x|<b>bold", html, re.I):
    bad.append("raw hostile markup in index.html")
for want in ("&lt;b&gt;bold&lt;/b&gt; &amp;", "&lt;img src=x onerror=alert(1)&gt;"):
    if want not in html:
        bad.append("escaped text %r not in index.html" % want)
if re.search(r"<script|<img src=x|<b>bold", md + md_new, re.I):
    bad.append("raw hostile markup in report.md")
if "Why: &lt;b>bold&lt;/b> &amp; \\`code\\` \\| pipe \\*star\\* \\_under\\_" not in md_new:
    bad.append("the hostile why is not escaped as expected in report.md")
svgs = "".join(open(os.path.join(out, "img", n), encoding="utf-8").read()
               for n in os.listdir(os.path.join(out, "img")))
if "&lt;script&gt;alert(0)&lt;/script&gt;" not in svgs or "<script" in svgs:
    bad.append("hostile names not escaped in the Graphviz pictures")
# Every signature: a row, a section, its verdicts and reproduce commands.
insts = stats["evaluators"].split(",")
for row in stats["signature_table"]:
    i = row["id"]
    if 'id="sig-%s"' % i not in html:
        bad.append("no section for %s" % i)
    if "[%s](" % i not in md:
        bad.append("no Markdown row for %s" % i)
sections = html.split("<article")[1:]
if len(sections) != nsig:
    bad.append("%d sections for %d findings" % (len(sections), nsig))
for s in sections:
    for inst in insts:
        if "<td><code>%s</code></td>" % inst not in s:
            bad.append("a section lacks instance %s" % inst)
            break
    for cmd in ("trustfuzz eval ", "trustfuzz export ", "verify.sh", "reproduce.ps1"):
        if cmd not in s:
            bad.append("a section lacks %r" % cmd)
    if s.count('class="pair"') != 2:
        bad.append("a section does not highlight exactly two instances")
# Statistics as recorded.
if ">%d</td>" % stats["scenarios"] not in html:
    bad.append("scenario count %d not shown" % stats["scenarios"])
for inst, counts in stats["verdicts"].items():
    if sum(counts.values()) != stats["scenarios"]:
        bad.append("verdict counts of %s do not add up" % inst)
    row = re.search(r"<tr><td><code>%s</code></td>(.*?)</tr>" % re.escape(inst), html)
    if not row or row.group(1).count("<td") != 8:
        bad.append("verdict count row of %s" % inst)
if "![Distinct signatures over time](img/signatures.svg)" not in md:
    bad.append("plot not in report.md")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
EOF

# Deterministic: the same directory gives the same bytes.
out2=$TF_TMP/out2
"$TRUSTFUZZ" report "$dir" --out "$out2" --known "$known" --details 0 >/dev/null 2>&1 || say "second report failed"
for f in index.html report.md; do
	cmp -s "$out/$f" "$out2/$f" || say "$f differs between two runs"
done
diff -r "$out/img" "$out2/img" >/dev/null || say "pictures differ between two runs"

# --details bounds the sections; the table still lists every signature.
"$TRUSTFUZZ" report "$dir" --out "$TF_TMP/out3" --known "$known" --details 2 >/dev/null 2>&1 || say "--details 2 failed"
[ "$(grep -c '<article' "$TF_TMP/out3/index.html")" -eq 2 ] || say "--details 2: not 2 sections"
grep -q "$((nsig - 2)) more signatures are listed in the table only" "$TF_TMP/out3/index.html" ||
	say "--details 2: no note about the rest"

# Without Graphviz: a note and the DOT source, no broken picture.
TRUSTFUZZ_DOT=/nonexistent/dot "$TRUSTFUZZ" report "$dir" --out "$TF_TMP/nodot" --known "$known" \
	>"$TF_TMP/nodot.out" 2>&1 || say "report without dot failed: $(cat "$TF_TMP/nodot.out")"
grep -q "without a picture" "$TF_TMP/nodot.out" || say "no note about missing pictures"
grep -q "Graphviz dot is not installed" "$TF_TMP/nodot/index.html" || say "no reason for the missing pictures"
[ "$(grep -c 'DOT source of the picture' "$TF_TMP/nodot/index.html")" -eq "$nsig" ] ||
	say "DOT source not shown for every finding"
grep -q '<img src="img/[0-9a-f]\{16\}\.svg"' "$TF_TMP/nodot/index.html" && say "a topology <img> without a picture"

# An empty directory.
mkdir -p "$TF_TMP/empty"
"$TRUSTFUZZ" report "$TF_TMP/empty" --known "$known" >"$TF_TMP/empty.out" 2>&1 || say "empty directory: $(cat "$TF_TMP/empty.out")"
grep -q "No divergence found" "$TF_TMP/empty/report/index.html" || say "empty directory: no 'No divergence found'"
grep -q "^report: 0 signatures" "$TF_TMP/empty.out" || say "empty directory summary"

# Bad input: one line on stderr, exit 2.
bad() {
	local what=$1 want=$2
	shift 2
	"$TRUSTFUZZ" report "$@" >/dev/null 2>"$TF_TMP/err"
	local rc=$?
	[ $rc -eq 2 ] || say "$what: exit $rc, want 2"
	[ "$(wc -l <"$TF_TMP/err")" -eq 1 ] || say "$what: $(wc -l <"$TF_TMP/err") lines on stderr"
	grep -q -- "$want" "$TF_TMP/err" || say "$what: stderr '$(cat "$TF_TMP/err")' lacks '$want'"
}
bad "no directory" "$TF_TMP/nope" "$TF_TMP/nope"
bad "no argument" "no findings directory"
bad "two directories" "one findings directory" "$dir" "$dir"
bad "bad --details" "--details" "$dir" --details many
bad "unknown option" "--bogus" "$dir" --bogus
cp -r "$dir" "$TF_TMP/badstats"
sed -i 's/"scenarios": [0-9]*/"scenarios": "many"/' "$TF_TMP/badstats/stats.json"
bad "bad stats.json" "stats.json: scenarios: expected a count" "$TF_TMP/badstats"
echo '{"schema": "trustfuzz-campaign-stats", "version": 1,' >"$TF_TMP/badstats/stats.json"
bad "stats.json not JSON" "stats.json: line" "$TF_TMP/badstats"
echo '{"schema": "trustfuzz-fuzz-stats", "version": 2}' >"$TF_TMP/badstats/fuzz-stats.json"
rm "$TF_TMP/badstats/stats.json"
bad "fuzz-stats.json version" "fuzz-stats.json: version: expected 1" "$TF_TMP/badstats"

"$TRUSTFUZZ" report --help | grep -q "^usage: trustfuzz report FINDINGS_DIR" || say "--help"
[ $fails -eq 0 ] && echo "report_html: all checks passed ($nsig signatures)"
exit $((fails > 0))
