#!/usr/bin/env bash
# CI fuzz smoke (docs/campaign.md, "Running the engines"):
#  1. libFuzzer: build fuzz-diff with clang, -DTF_FUZZ=ON and ASan/UBSan in
#     its own build directory, run it 60 s on the seed corpus (new inputs go
#     to a scratch folder) recording findings; it must exit 0, write no crash
#     file, and every finding it recorded must replay.
#  2. AFL++: build fuzz-diff-afl with afl-clang-fast in its own build
#     directory, run the persistent-mode binary on every seed (outside
#     afl-fuzz it reads one input from stdin), then afl-fuzz for 10 s; it
#     must find no crash. Where afl-fuzz cannot run (no shared memory, ...),
#     the build and the persistent-mode run stand as the check.
#   scripts/ci-fuzz.sh [SECONDS]     (libFuzzer time, default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
export TRUSTFUZZ_KNOWN=$PWD/corpus/known-divergences.json
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "--- libFuzzer: build (clang, TF_FUZZ, ASan/UBSan)"
CC=clang cmake -S . -B build-ci-fuzz "${gen[@]}" -DTF_WERROR=ON -DTF_FUZZ=ON -DTF_SANITIZE=ON >/dev/null
cmake --build build-ci-fuzz --target fuzz-diff trustfuzz -j "$(nproc)"
mkdir -p "$work/lf/corpus" "$work/lf/artifacts"
echo "--- libFuzzer: ${secs} s"
rc=0
TRUSTFUZZ_FINDINGS=$work/lf/findings build-ci-fuzz/harness/fuzz/fuzz-diff \
  -max_total_time="$secs" -dict=corpus/fuzz/trustfuzz.dict -len_control=0 \
  -artifact_prefix="$work/lf/artifacts/" -print_final_stats=1 \
  "$work/lf/corpus" corpus/fuzz/diff >"$work/lf/log" 2>&1 || rc=$?
grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|Done [0-9]+ runs)' "$work/lf/log" || true
if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$work/lf/artifacts")" ]; then
  tail -40 "$work/lf/log"
  echo "FAIL: libFuzzer exited $rc; artifacts: $(ls "$work/lf/artifacts")"
  exit 1
fi
n=$(ls "$work/lf/findings/findings" 2>/dev/null | grep -c '\.json$' || true)
if [ "$n" -gt 0 ]; then
  build-ci-fuzz/trustfuzz replay "$work/lf/findings/findings" | tail -1
fi
echo "libFuzzer: exit 0, no crash, $n findings recorded (all replay)"

echo "--- AFL++: build (afl-clang-fast, persistent mode)"
CC=afl-clang-fast cmake -S . -B build-ci-afl "${gen[@]}" -DTF_AFL=ON >/dev/null
cmake --build build-ci-afl --target fuzz-diff-afl -j "$(nproc)"
afl=build-ci-afl/harness/fuzz/fuzz-diff-afl
for f in corpus/fuzz/diff/*; do
  "$afl" <"$f" >/dev/null || { echo "FAIL: $afl < $f"; exit 1; }
done
echo "AFL++ binary: every seed runs in persistent mode"
rc=0
# The AFL++ binary has no sanitizer, and afl-fuzz refuses ASAN_OPTIONS
# without symbolize=0: the sanitizer settings of the steps above stay out.
env -u ASAN_OPTIONS -u UBSAN_OPTIONS \
  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  timeout 120 afl-fuzz -V 10 -i corpus/fuzz/diff -o "$work/afl" \
  -x corpus/fuzz/trustfuzz.dict -- "$afl" >"$work/afl.log" 2>&1 || rc=$?
stats=$work/afl/default/fuzzer_stats
if [ "$rc" -ne 0 ] || [ ! -f "$stats" ]; then
  tail -15 "$work/afl.log"
  echo "note: afl-fuzz could not run here (exit $rc); the build and persistent-mode run are the check"
  exit 0
fi
crashes=$(sed -n 's/^saved_crashes *: *//p' "$stats")
execs=$(sed -n 's/^execs_done *: *//p' "$stats")
if [ "${crashes:-0}" != 0 ]; then
  ls "$work/afl/default/crashes"
  echo "FAIL: afl-fuzz saved $crashes crashes"
  exit 1
fi
echo "AFL++: afl-fuzz ran 10 s, $execs executions, no crash"
