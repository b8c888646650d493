#!/usr/bin/env bash
# `trustfuzz replay`: recursion in sorted order, one line per failure, the
# final "N passed, N failed" line, and exit codes 0 / 1 / 2.
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/replay.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fx="$TF_SRC/corpus/fixtures"

# The whole corpus passes; the count is the number of fixtures.
n=$(find "$fx" -name '*.json' | wc -l)
out=$("$TRUSTFUZZ" replay "$fx"); rc=$?
[ $rc = 0 ] || say "replay corpus: exit $rc: $out"
[ "$out" = "$n passed, 0 failed" ] || say "replay corpus output: $out"
[ "$n" -ge 32 ] || say "expected at least 32 fixtures, found $n"

# Files and directories mix; a file is taken whatever its name.
mkdir -p "$tmp/d/sub/deeper"
cp "$fx/rfc5280/valid-chain.json" "$tmp/d/sub/deeper/ok.json"
cp "$fx/rfc5280/leaf-expired.json" "$tmp/d/ok2.json"
cp "$fx/rfc5280/valid-chain.json" "$tmp/d/.hidden.json"   # hidden files are skipped
cp "$fx/rfc5280/valid-chain.json" "$tmp/d/notes.txt"      # only *.json in directories
cp "$fx/rfc5280/valid-chain.json" "$tmp/single"
out=$("$TRUSTFUZZ" replay "$tmp/d" "$tmp/single"); rc=$?
[ $rc = 0 ] && [ "$out" = "3 passed, 0 failed" ] || say "mixed args: $rc $out"

# Failures: one line each, in sorted path order, then the count; exit 1.
sed 's/"status": "200"/"status": "403.16"/' "$fx/rfc5280/valid-chain.json" > "$tmp/d/b-wrong.json"
sed 's/"status": "403.17"/"status": "200"/' "$fx/rfc5280/leaf-expired.json" > "$tmp/d/a-wrong.json"
out=$("$TRUSTFUZZ" replay "$tmp/d"); rc=$?
[ $rc = 1 ] || say "failures: exit $rc"
expect="$tmp/d/a-wrong.json: ref: status: expected 200, got 403.17 (L2 expired at validation time)
$tmp/d/a-wrong.json: kb: status: expected 200, got 403.17 (L2 expired at validation time)
$tmp/d/b-wrong.json: ref: status: expected 403.16, got 200 (valid path to anchor R0)
$tmp/d/b-wrong.json: kb: status: expected 403.16, got 200 (valid path to anchor R0)
$tmp/d/b-wrong.json: ref+profile=strict: status: expected 403.16, got 200 (valid path to anchor R0)
2 passed, 2 failed"
[ "$out" = "$expect" ] || say "failure lines: got
$out
expected
$expect"

# A path mismatch names certificates by id.
awk '/"expect"/ { e = 1 } e && !done && sub(/"I1",/, "\"R0\",") { done = 1 } { print }' \
  "$fx/rfc5280/valid-chain.json" > "$tmp/path.json"
out=$("$TRUSTFUZZ" replay "$tmp/path.json"); rc=$?
[ $rc = 1 ] || say "path mismatch: exit $rc"
echo "$out" | grep -qx "$tmp/path.json: ref: path: expected L2 > R0 > R0, got L2 > I1 > R0" || say "path line: $out"

# An instance this build lacks is bad input (exit 2), not a skip.
sed 's/"kb": {/"nope+knob=1": {/' "$fx/rfc5280/valid-chain.json" > "$tmp/unknown.json"
out=$("$TRUSTFUZZ" replay "$tmp/unknown.json" 2>"$tmp/err"); rc=$?
[ $rc = 2 ] || say "unknown instance: exit $rc"
grep -q "$tmp/unknown.json: expect.nope+knob=1: instance \"nope+knob=1\": unknown evaluator \"nope\"" "$tmp/err" ||
  say "unknown instance message: $(cat "$tmp/err")"
[ "$out" = "0 passed, 1 failed" ] || say "unknown instance count: $out"

# Unreadable fixtures: exit 2, still counted, the others still replayed.
echo '{ not json' > "$tmp/d/c-broken.json"
out=$("$TRUSTFUZZ" replay "$tmp/d" 2>"$tmp/err"); rc=$?
[ $rc = 2 ] || say "broken fixture: exit $rc"
grep -q "^trustfuzz replay: $tmp/d/c-broken.json: line 1" "$tmp/err" || say "broken message: $(cat "$tmp/err")"
[ "$(echo "$out" | tail -1)" = "2 passed, 3 failed" ] || say "broken count: $out"

err=$("$TRUSTFUZZ" replay "$tmp/nowhere" 2>&1); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q "$tmp/nowhere" || say "missing path: $rc $err"
err=$("$TRUSTFUZZ" replay 2>&1); rc=$?
[ $rc = 2 ] || say "no argument: exit $rc"
"$TRUSTFUZZ" replay --help | grep -q '^usage: trustfuzz replay DIR|FILE' || say "--help"

exit $fail
