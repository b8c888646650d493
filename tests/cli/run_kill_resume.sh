#!/usr/bin/env bash
# A campaign stopped with SIGTERM exits 0 with its table and can be resumed;
# one killed with SIGKILL can be resumed too, and one stopped with SIGINT
# (Ctrl-C) ends like the SIGTERM one. Across all: no finding is
# lost, every file parses (and replays to its expected verdicts), no
# signature has two findings, no example slot overflows.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP"
out=$TF_TMP/findings
rm -rf "$out"
known=(--known "$TF_SRC/corpus/known-divergences.json")

# Waits (up to 60 s, while campaign $pid runs) until DIR/findings holds at
# least N fixtures.
wait_findings() {
  for _ in $(seq 1 600); do
    [ "$(ls "$out/findings" 2>/dev/null | grep -c '^[0-9a-f]*\.json$')" -ge "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
list() { ls "$out/findings" | grep '^[0-9a-f]*\.json$' | sort; }
# Every finding and example parses and replays; nothing half-written.
check_files() {
  local what=$1
  "$TRUSTFUZZ" replay "$out/findings" "$out/examples" >"$TF_TMP/replay" 2>&1 ||
    { bad "$what: replay failed"; tail -5 "$TF_TMP/replay"; }
  ls "$out/findings" | grep -q '\.bad$' && bad "$what: unreadable findings set aside"
  for f in "$out"/findings/*.json; do
    id=$(basename "$f" .json)
    grep -q '^  "id": "div-'"$id"'",' "$f" || bad "$what: $f is not the finding of $id"
  done
  over=$(ls "$out/examples" | sed 's/-[0-9]*\.json$//' | uniq -c | awk '$1 > 3')
  [ -z "$over" ] || bad "$what: more than 3 examples: $over"
}

"$TRUSTFUZZ" run --seed 7 --time 300 --jobs 2 --out "$out" "${known[@]}" >"$TF_TMP/log1" 2>&1 &
pid=$!
wait_findings 5 || bad "no findings after 60 s"
sleep 1
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || bad "SIGTERM: exit $rc, expected 0"
grep -q '^summary: .*(stopped: resume with --resume)' "$TF_TMP/log1" || bad "SIGTERM: no final summary"
check_files "after SIGTERM"
list >"$TF_TMP/list1"

"$TRUSTFUZZ" run --resume --time 300 --jobs 2 --out "$out" "${known[@]}" >"$TF_TMP/log2" 2>&1 &
pid=$!
wait_findings $(($(wc -l <"$TF_TMP/list1") + 3)) || bad "resume found nothing new"
kill -KILL $pid
{ wait $pid; } 2>/dev/null
[ "$(head -1 "$TF_TMP/log2")" = "seed: 7" ] || bad "resume did not print the saved seed first"
sleep 1 # the workers die with their parent (PR_SET_PDEATHSIG)
check_files "after SIGKILL"
list >"$TF_TMP/list2"
lost=$(comm -23 "$TF_TMP/list1" "$TF_TMP/list2")
[ -z "$lost" ] || bad "findings lost across the SIGKILL: $lost"

"$TRUSTFUZZ" run --resume --time 4 --jobs 2 --out "$out" "${known[@]}" >"$TF_TMP/log3" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "resume after SIGKILL: exit $rc"; tail -5 "$TF_TMP/log3"; }
grep -q '^summary: ' "$TF_TMP/log3" || bad "resume after SIGKILL: no summary"
check_files "after the last resume"
list >"$TF_TMP/list3"
lost=$(comm -23 "$TF_TMP/list2" "$TF_TMP/list3")
[ -z "$lost" ] || bad "findings lost across the last resume: $lost"
ls -A "$out/findings" | grep -q '^\.' && bad "temp files left after a completed run"

# Ctrl-C: SIGINT to the campaign (a background job of a script ignores
# SIGINT unless the program installs its own handler, as a campaign must).
"$TRUSTFUZZ" run --resume --time 300 --jobs 2 --out "$out" "${known[@]}" >"$TF_TMP/log4" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  grep -q '^\[' "$TF_TMP/log4" && break
  sleep 0.1
done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || bad "SIGINT: exit $rc, expected 0"
grep -q '^summary: .*(stopped: resume with --resume)' "$TF_TMP/log4" || bad "SIGINT: no final summary"
check_files "after SIGINT"
list >"$TF_TMP/list4"
lost=$(comm -23 "$TF_TMP/list3" "$TF_TMP/list4")
[ -z "$lost" ] || bad "findings lost across the SIGINT: $lost"
dup=$(grep '^      "id": ' "$out/stats.json" | sort | uniq -d)
[ -z "$dup" ] || bad "a signature listed twice in stats.json: $dup"
scen=$(sed -n 's/^  "scenarios": \([0-9]*\),$/\1/p' "$out/stats.json")
[ "${scen:-0}" -gt 0 ] || bad "stats.json counts no scenarios"
[ $fail -eq 0 ] || exit 1
echo "run_kill_resume: $(wc -l <"$TF_TMP/list3") findings, none lost or duplicated, $scen scenarios"
