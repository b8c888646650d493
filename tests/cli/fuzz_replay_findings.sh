#!/usr/bin/env bash
# The fuzz target through its standalone driver (fuzz-diff-replay) and the
# AFL++ driver's one-shot mode: the seed corpus runs cleanly; with
# TRUSTFUZZ_FINDINGS, two fuzzers on one directory record each signature
# once between them, as minimized fixtures that replay; a second pass
# records nothing new; a bad configuration is refused.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP"
bin=$(dirname "$TRUSTFUZZ")/harness/fuzz
corpus=$TF_SRC/corpus/fuzz/diff
out=$TF_TMP/fuzz-findings
rm -rf "$out"
export TRUSTFUZZ_KNOWN=$TF_SRC/corpus/known-divergences.json
export TRUSTFUZZ_MIN_STEPS=150
[ -x "$bin/fuzz-diff-replay" ] || { echo "FAIL: no $bin/fuzz-diff-replay"; exit 1; }
[ "$(ls "$corpus" | wc -l)" -ge 10 ] || bad "seed corpus $corpus has fewer than 10 inputs"

"$bin/fuzz-diff-replay" -q "$corpus" >"$TF_TMP/plain" 2>&1 || bad "seed corpus: replay failed"
grep -q "0 new findings recorded" "$TF_TMP/plain" || bad "recorded findings without TRUSTFUZZ_FINDINGS"
[ -e "$out" ] && bad "wrote a findings directory without TRUSTFUZZ_FINDINGS"

TRUSTFUZZ_FINDINGS=$out "$bin/fuzz-diff-replay" -q "$corpus" >"$TF_TMP/r1" 2>&1 &
p1=$!
TRUSTFUZZ_FINDINGS=$out "$bin/fuzz-diff-replay" -q "$corpus" >"$TF_TMP/r2" 2>&1 &
p2=$!
wait $p1 || bad "first parallel fuzzer failed"
wait $p2 || bad "second parallel fuzzer failed"
n1=$(sed -n 's/.* \([0-9]*\) new findings recorded/\1/p' "$TF_TMP/r1")
n2=$(sed -n 's/.* \([0-9]*\) new findings recorded/\1/p' "$TF_TMP/r2")
files=$(ls "$out/findings" | grep -c '^[0-9a-f]*\.json$')
[ "$files" -gt 0 ] || bad "the seed corpus shows no divergence at all"
[ $((n1 + n2)) -eq "$files" ] || bad "$n1 + $n2 recorded, $files files: a duplicate or a loss"
ls -A "$out/findings" | grep -q '^\.' && bad "temp files left behind"
"$TRUSTFUZZ" replay "$out/findings" >"$TF_TMP/replay" 2>&1 || { bad "findings do not replay"; tail -5 "$TF_TMP/replay"; }
grep -l '"origin": "replay"' "$out"/findings/*.json | wc -l | grep -qx "$files" ||
  bad "findings without provenance origin replay"
grep -l '"unminimized"' "$out"/findings/*.json >/dev/null && bad "a fuzzer finding is not minimized"

TRUSTFUZZ_FINDINGS=$out "$bin/fuzz-diff-replay" -q "$corpus" >"$TF_TMP/r3" 2>&1 || bad "third pass failed"
grep -q " 0 new findings recorded" "$TF_TMP/r3" || bad "third pass recorded again: $(tail -1 "$TF_TMP/r3")"

TRUSTFUZZ_EVALUATORS=ref,nosuch "$bin/fuzz-diff-replay" "$corpus" >/dev/null 2>"$TF_TMP/err"
[ $? -eq 2 ] && grep -q nosuch "$TF_TMP/err" || bad "an unknown evaluator is not refused"
TRUSTFUZZ_DEPTH=deep "$bin/fuzz-diff-replay" "$corpus" >/dev/null 2>&1
[ $? -eq 2 ] || bad "a bad TRUSTFUZZ_DEPTH is not refused"
"$bin/fuzz-diff-replay" >/dev/null 2>&1
[ $? -eq 2 ] || bad "no input: expected exit 2"

# The AFL++ driver: persistent mode under afl-clang-fast, one input from a
# file or stdin otherwise (and outside afl-fuzz).
if [ -x "$bin/fuzz-diff-afl" ]; then
  seed=$(ls "$corpus" | head -1)
  "$bin/fuzz-diff-afl" <"$corpus/$seed" >/dev/null 2>&1 || bad "fuzz-diff-afl < $seed failed"
else
  bad "no $bin/fuzz-diff-afl"
fi
[ $fail -eq 0 ] || exit 1
echo "fuzz_replay_findings: $files findings from two parallel fuzzers, no duplicate"
