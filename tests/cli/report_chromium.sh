#!/bin/bash
# tests/cli/report_chromium.sh — the HTML report in a real browser: headless
# Chromium (Debian's `chromium` package) renders a report of a small
# campaign plus a fuzzing timeline, offline, and
#  - the page screenshot is a PNG of the window size that is not blank
#    (many distinct colours, a good share of non-background pixels);
#  - the DOM Chromium built (--dump-dom) is the report, and every <img> it
#    holds names a file that exists;
#  - each picture (the plot, the topologies) rendered by itself is not blank.
# PNGs are decoded with python3's zlib (no imaging library needed).
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
rm -rf "$TF_TMP"
mkdir -p "$TF_TMP"
fails=0
say() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
chrome=
for c in chromium chromium-browser google-chrome; do
	command -v "$c" >/dev/null && chrome=$(command -v "$c") && break
done
if [ -z "$chrome" ]; then
	echo "FAIL: chromium not found (Debian: apt-get install chromium; scripts/install-deps.sh)"
	exit 1
fi
browse() { # browse URL ARGS...: headless Chromium, offline, its own profile
	local url=$1 profile
	shift
	profile=$(mktemp -d "$TF_TMP/profile.XXXXXX")
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-dev-shm-usage --hide-scrollbars --user-data-dir="$profile" "$@" "$url"
}

known=$TF_SRC/corpus/known-divergences.json
dir=$TF_TMP/findings
"$TRUSTFUZZ" run --seed 5 --iterations 12 --jobs 1 --out "$dir" --known "$known" >/dev/null ||
	say "trustfuzz run failed"
# A fuzzing timeline beside the campaign's, as the overnight scripts write it.
cat >"$dir/fuzz-stats.json" <<'EOF'
{"schema": "trustfuzz-fuzz-stats", "version": 1, "evaluators": "ref,kb,openssl",
 "depth": "status", "elapsed_s": 30.0, "execs": 1200,
 "sessions": [{"engine": "libfuzzer", "jobs": 2, "start": "2024-05-01T22:00:00Z",
               "seconds": 30.0, "execs": 1200, "end": "time"}],
 "timeline": [{"s": 0.0, "distinct": 0}, {"s": 5.0, "distinct": 3}, {"s": 20.0, "distinct": 7}],
 "first_seen": {}}
EOF
out=$TF_TMP/report
"$TRUSTFUZZ" report "$dir" --out "$out" --known "$known" --details 3 >/dev/null 2>"$TF_TMP/err" ||
	say "report failed: $(cat "$TF_TMP/err")"
page="file://$out/index.html"

browse "$page" --screenshot="$TF_TMP/page.png" --window-size=1280,2000 >"$TF_TMP/shot.log" 2>&1 ||
	say "chromium --screenshot failed: $(tail -3 "$TF_TMP/shot.log")"
browse "$page" --dump-dom >"$TF_TMP/dom.html" 2>"$TF_TMP/dom.log" ||
	say "chromium --dump-dom failed: $(tail -3 "$TF_TMP/dom.log")"
n=0
for svg in "$out/img/signatures.svg" $(ls "$out"/img/????????????????.svg | head -n 2); do
	n=$((n + 1))
	browse "file://$svg" --screenshot="$TF_TMP/pic-$n.png" --window-size=900,700 >/dev/null 2>&1 ||
		say "chromium could not render $svg"
done
[ $n -ge 3 ] || say "expected the plot and at least two topology pictures, got $n"

python3 - "$TF_TMP" "$out" "$n" <<'EOF' || say "rendering checks (above)"
import os, re, struct, sys, zlib
tmp, out, npics = sys.argv[1], sys.argv[2], int(sys.argv[3])
bad = []

def decode(path):
    d = open(path, "rb").read()
    if d[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, []
    while pos < len(d):
        ln, = struct.unpack(">I", d[pos:pos + 4])
        typ, c = d[pos + 4:pos + 8], d[pos + 8:pos + 8 + ln]
        pos += 12 + ln
        if typ == b"IHDR":
            w, h, bd, ct, _, _, il = struct.unpack(">IIBBBBB", c)
        elif typ == b"IDAT":
            idat.append(c)
    if bd != 8 or il != 0 or ct not in (2, 6):
        raise ValueError("unsupported PNG (depth %d, colour type %d)" % (bd, ct))
    raw, bpp = zlib.decompress(b"".join(idat)), (3 if ct == 2 else 4)
    stride, prev, rows, i = w * bpp, bytearray(w * bpp), [], 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if f == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for x in range(stride):
                line[x] = (line[x] + ((line[x - bpp] if x >= bpp else 0) + prev[x]) // 2) & 255
        elif f == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows

def stats(path):
    """(width, height, distinct colours, share of pixels unlike the most common one)"""
    w, h, bpp, rows = decode(path)
    counts = {}
    for r in rows:
        for x in range(0, len(r), bpp * 2):
            k = r[x:x + 3]
            counts[k] = counts.get(k, 0) + 1
    total = sum(counts.values())
    return w, h, len(counts), 1 - max(counts.values()) / total

try:
    w, h, ncol, ink = stats(os.path.join(tmp, "page.png"))
    print("page.png: %dx%d, %d colours, %.0f%% ink" % (w, h, ncol, 100 * ink))
    if (w, h) != (1280, 2000):
        bad.append("page.png is %dx%d" % (w, h))
    if ncol < 50 or ink < 0.05:
        bad.append("page.png looks blank: %d colours, %.1f%% non-background" % (ncol, 100 * ink))
except Exception as e:
    bad.append("page.png: %s" % e)
for k in range(1, npics + 1):
    try:
        w, h, ncol, ink = stats(os.path.join(tmp, "pic-%d.png" % k))
        if ncol < 3 or ink < 0.01:
            bad.append("picture %d rendered blank (%d colours)" % (k, ncol))
    except Exception as e:
        bad.append("pic-%d.png: %s" % (k, e))

dom = open(os.path.join(tmp, "dom.html"), encoding="utf-8", errors="replace").read()
for want in ("trustfuzz report", "Divergence signatures", "Distinct signatures over time",
             "Fuzzing sessions"):
    if want not in dom:
        bad.append("the rendered DOM lacks %r" % want)
srcs = re.findall(r'<img[^>]*\ssrc="([^"]*)"', dom)
if len(srcs) < 4:
    bad.append("only %d <img> in the DOM" % len(srcs))
for s in srcs:
    path = s[7:] if s.startswith("file://") else os.path.join(out, s)
    if not os.path.isfile(path):
        bad.append("<img src=%r>: no such file" % s)
if re.search(r"<(object|embed|iframe)\b", dom):
    bad.append("an <object>/<embed>/<iframe> in the DOM")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
EOF
[ $fails -eq 0 ] && echo "report_chromium: all checks passed (page: $TF_TMP/page.png)"
exit $((fails > 0))
