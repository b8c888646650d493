#!/usr/bin/env bash
# `trustfuzz run` options: bad ones are usage errors (exit 2, one line); the
# seed is printed first, from the clock when not given and from the saved
# campaign on --resume; a resume takes the saved bound; what a campaign
# finds does not depend on the job count.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP"
d=$TF_TMP/d
rm -rf "$d" "$d"1 "$d"2
quick=(--evaluators ref,kb)

usage() { # usage NAME ARGS...
  local name=$1
  shift
  "$TRUSTFUZZ" run "$@" >/dev/null 2>"$TF_TMP/err"
  local rc=$?
  [ $rc -eq 2 ] || bad "$name: exit $rc, expected 2"
  [ "$(wc -l <"$TF_TMP/err")" -ge 1 ] || bad "$name: no message"
}
usage "--time and --iterations" --time 5 --iterations 5 --out "$d"
usage "--jobs 0" --jobs 0 --out "$d"
usage "--jobs 999" --jobs 999 --out "$d"
usage "--time 0" --time 0 --out "$d"
usage "--profile" --profile nope --out "$d"
usage "--depth" --depth deep --out "$d"
usage "--seed" --seed -1 --out "$d"
usage "--examples" --examples 99 --out "$d"
usage "argument" stray --out "$d"
usage "--evaluators" --evaluators ref,nosuch --iterations 1 --out "$d"
usage "--resume nothing" --resume --out "$d/none"

"$TRUSTFUZZ" run --iterations 40 --jobs 1 "${quick[@]}" --out "$d" >"$TF_TMP/a" 2>&1 ||
  bad "a 40-scenario campaign failed"
seed=$(head -1 "$TF_TMP/a")
case "$seed" in "seed: "[0-9]*) ;; *) bad "first line '$seed' is not the seed" ;; esac
grep -q '^summary: 40 scenarios .*(complete)$' "$TF_TMP/a" || bad "40 scenarios, complete"
usage "--resume, another seed" --resume --seed 12345678901 --out "$d"
usage "--resume, another profile" --resume --profile kb --out "$d"
"$TRUSTFUZZ" run --resume --out "$d" >"$TF_TMP/b" 2>&1 || bad "resume of a complete campaign failed"
[ "$(head -1 "$TF_TMP/b")" = "$seed" ] || bad "resume printed '$(head -1 "$TF_TMP/b")', not '$seed'"
grep -q '^summary: 40 scenarios .*this run 0 in.*(complete)$' "$TF_TMP/b" ||
  bad "resume of a complete campaign evaluated something"

# Same seed and bound, one job or three: the same findings.
"$TRUSTFUZZ" run --seed 5 --iterations 400 --jobs 1 "${quick[@]}" --out "$d"1 >/dev/null 2>&1 ||
  bad "seed 5, 1 job failed"
"$TRUSTFUZZ" run --seed 5 --iterations 400 --jobs 3 "${quick[@]}" --out "$d"2 >/dev/null 2>&1 ||
  bad "seed 5, 3 jobs failed"
[ "$(ls "$d"1/findings)" = "$(ls "$d"2/findings)" ] || bad "1 job and 3 jobs found different signatures"
[ -n "$(ls "$d"1/findings)" ] || bad "seed 5: no findings at all"
"$TRUSTFUZZ" run --help | grep -q '^usage: trustfuzz run' || bad "--help"
[ $fail -eq 0 ] || exit 1
echo "run_usage: all checks passed"
