# tests/cli/lib/prop_common.sh — sourced by tests/cli/prop_*.sh (not a test).
#
# prop_check NAME TRIALS MIN_PERCENT [EXTRA ARGS...]
#   Runs `trustfuzz prop NAME` on TRIALS trials from seed 1 and fails unless
#   it exits 0, reports 0 failures, and tested (passed) at least MIN_PERCENT
#   of the trials: a property whose precondition stopped holding would
#   otherwise pass by skipping everything.
set -u
mkdir -p "$TF_TMP"

prop_check() {
  local name=$1 trials=$2 min=$3
  shift 3
  local out rc passed line
  out=$("$TRUSTFUZZ" prop "$name" --trials "$trials" --seed 1 --out "$TF_TMP/out-$name" "$@" 2>&1)
  rc=$?
  echo "$out"
  if [ $rc -ne 0 ]; then
    echo "FAIL: trustfuzz prop $name exited $rc"
    return 1
  fi
  line=$(echo "$out" | grep -E "^$name: [0-9]+ trials from seed 1: ")
  passed=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, .*/\1/')
  if ! echo "$line" | grep -q ", 0 failed \["; then
    echo "FAIL: $name: no '0 failed' in summary"
    return 1
  fi
  if [ -z "$passed" ] || [ $((passed * 100)) -lt $((trials * min)) ]; then
    echo "FAIL: $name: only ${passed:-?} of $trials trials met the precondition (want >= $min%)"
    return 1
  fi
  if [ -d "$TF_TMP/out-$name" ]; then
    echo "FAIL: $name: a passing run wrote counterexamples"
    return 1
  fi
  return 0
}
