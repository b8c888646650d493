#!/usr/bin/env bash
# A scenario that crashes a worker (test-only hook TRUSTFUZZ_TEST_CRASH_AT)
# costs that scenario only: it is saved as a crash input with its seed and
# index, the worker is restarted past it, and the campaign ends normally.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP"
out=$TF_TMP/findings
rm -rf "$out"
TRUSTFUZZ_TEST_CRASH_AT=37 "$TRUSTFUZZ" run --seed 3 --iterations 120 --jobs 2 \
  --evaluators ref,kb --out "$out" >"$TF_TMP/log" 2>&1
rc=$?
[ $rc -eq 0 ] || bad "exit $rc, expected 0"
grep -q '^summary: 119 scenarios .*, 1 crashes; .*(complete)$' "$TF_TMP/log" ||
  bad "summary does not say 119 scenarios, 1 crash, complete"
[ -s "$out/crashes/scenario-37.bin" ] || bad "no crash input scenario-37.bin"
meta=$out/crashes/scenario-37.json
grep -q '"index": 37,' "$meta" && grep -q '"campaign_seed": "3",' "$meta" &&
  grep -q '"reason": "killed by signal 6' "$meta" || bad "$meta does not say what crashed"
# The saved bytes are the scenario: the fuzz replayer runs them (the hook is
# the campaign's, so here nothing crashes).
replay=$(dirname "$TRUSTFUZZ")/harness/fuzz/fuzz-diff-replay
if [ -x "$replay" ]; then
  TRUSTFUZZ_EVALUATORS=ref,kb "$replay" -q "$out/crashes/scenario-37.bin" >/dev/null ||
    bad "fuzz-diff-replay cannot run the crash input"
else
  bad "no $replay"
fi
# A bad hook value is a usage error.
TRUSTFUZZ_TEST_CRASH_AT=x "$TRUSTFUZZ" run --iterations 1 --out "$out" >/dev/null 2>&1
[ $? -eq 2 ] || bad "TRUSTFUZZ_TEST_CRASH_AT=x: expected exit 2"
[ $fail -eq 0 ] || { tail -5 "$TF_TMP/log"; exit 1; }
echo "run_worker_crash: crash at scenario 37 saved, 119 scenarios evaluated"
