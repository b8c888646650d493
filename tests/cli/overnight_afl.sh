#!/bin/bash
# tests/cli/overnight_afl.sh — scripts/overnight-afl.sh with a short budget
# (it builds fuzz-diff-afl with afl-clang-fast into a build folder kept in
# TF_TMP). AFL++ runs as root in a container here, which the script allows
# for (AFL_SKIP_CPUFREQ, AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES, AFL_NO_UI).
#  1. a 10-second session, one main and one secondary: exit 0; both
#     instances have a queue and fuzzer_stats; findings recorded, minimized,
#     replaying; the queues merged into DIR/corpus; fuzz-stats.json records
#     an "afl" session; the output says how to read it;
#  2. the same command again resumes every instance (AFL_AUTORESUME: the
#     queues are kept and AFL's run time goes on), no finding lost;
#  3. a session stopped with SIGTERM wraps up: exit 0, recorded as stopped,
#     no afl-fuzz left running, nothing half-merged.
# Where afl-fuzz cannot run at all (no shared memory, ...), the script says
# "afl-fuzz could not start"; the test then checks what it can — the build
# and a persistent-mode run of the target on every seed — and says so.
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
mkdir -p "$TF_TMP"
rm -rf "$TF_TMP/out" "$TF_TMP/fallback" "$TF_TMP/probe" "$TF_TMP"/*.log
fails=0
say() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
command -v afl-fuzz >/dev/null || { echo "FAIL: afl-fuzz not installed (scripts/install-deps.sh --fuzz)"; exit 1; }
script=$TF_SRC/scripts/overnight-afl.sh
out=$TF_TMP/out
build=$TF_TMP/build-afl
export TRUSTFUZZ

check_clean() {
	local what=$1 f id
	[ -d "$out/corpus.merging" ] && say "$what: corpus.merging left behind"
	[ -n "$(find "$out/findings" "$out/crashes" -name '.*' 2>/dev/null)" ] && say "$what: temp files left"
	for f in "$out"/findings/*.json; do
		id=$(basename "$f" .json)
		grep -q "\"id\": \"div-$id\"" "$f" || say "$what: $f is not the fixture of $id"
		grep -q '"unminimized"' "$f" && say "$what: $f is unminimized"
	done
	ps -eo args | grep -F -- "$out/fuzz/afl" | grep -v grep | grep -q afl-fuzz &&
		say "$what: afl-fuzz still running"
	return 0
}

# 1. First session.
"$script" --time 10 --jobs 2 --out "$out" --build-dir "$build" >"$TF_TMP/s1.log" 2>&1
rc=$?
if [ $rc -eq 3 ] && grep -q "afl-fuzz could not start" "$TF_TMP/s1.log"; then
	target=$build/harness/fuzz/fuzz-diff-afl
	[ -x "$target" ] || { echo "FAIL: no persistent-mode target built"; exit 1; }
	# Only an afl-fuzz that cannot run at all excuses the script: a bare
	# 3-second run with the container settings must fail too.
	rm -rf "$TF_TMP/probe"
	env -u ASAN_OPTIONS -u UBSAN_OPTIONS AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
		AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000 timeout 120 \
		afl-fuzz -V 3 -t 20000 -i "$TF_SRC/corpus/fuzz/diff" -o "$TF_TMP/probe" -- "$target" \
		>"$TF_TMP/probe.log" 2>&1
	if [ -f "$TF_TMP/probe/default/fuzzer_stats" ]; then
		tail -20 "$TF_TMP/s1.log"
		echo "FAIL: afl-fuzz runs here, but not under the script"
		exit 1
	fi
	n=0
	for f in "$TF_SRC"/corpus/fuzz/diff/*; do
		TRUSTFUZZ_FINDINGS=$TF_TMP/fallback "$target" <"$f" >/dev/null 2>&1 || say "$target < $f failed"
		n=$((n + 1))
	done
	"$TRUSTFUZZ" replay "$TF_TMP/fallback/findings" >/dev/null 2>&1 || say "fallback findings do not replay"
	echo "overnight_afl: afl-fuzz cannot run here ($(grep -m1 -E 'PROGRAM ABORT|ERROR|Error' "$out/fuzz/afl-work/logs/main-1.log" | sed 's/\x1b\[[0-9;]*m//g' | head -c 200));"
	echo "overnight_afl: checked instead: the afl-clang-fast build and a persistent-mode run of the target on all $n seeds"
	exit $((fails > 0))
fi
if [ $rc -ne 0 ]; then
	tail -20 "$TF_TMP/s1.log"
	echo "FAIL: first session exited $rc"
	exit 1
fi
for want in "session 1: 2 afl-fuzz instance(s) (main sec1)" "corpus merged" "report $out" \
	"to continue, run the same command again"; do
	grep -qF -- "$want" "$TF_TMP/s1.log" || say "session 1 output lacks '$want'"
done
for inst in main sec1; do
	[ -f "$out/fuzz/afl/$inst/fuzzer_stats" ] || say "no fuzzer_stats for $inst"
	[ -n "$(ls "$out/fuzz/afl/$inst/queue" 2>/dev/null)" ] || say "empty queue for $inst"
done
n1=$(ls "$out"/findings/*.json 2>/dev/null | wc -l)
[ "$n1" -ge 1 ] || say "session 1 recorded no finding"
[ -n "$(ls -A "$out/corpus")" ] || say "the merged corpus is empty"
"$TRUSTFUZZ" replay "$out/findings" >"$TF_TMP/replay.log" 2>&1 || say "findings do not replay: $(tail -2 "$TF_TMP/replay.log")"
check_clean "session 1"

# 2. Resume.
q1=$(ls "$out/fuzz/afl/main/queue" | wc -l)
rt1=$(awk -F: '/^run_time/ { print $2 + 0 }' "$out/fuzz/afl/main/fuzzer_stats")
ls "$out/findings" >"$TF_TMP/ids1"
"$script" --time 6 --jobs 2 --out "$out" --build-dir "$build" >"$TF_TMP/s2.log" 2>&1 || say "second session failed: $(tail -5 "$TF_TMP/s2.log")"
grep -q "fuzzer_stats), resumed" "$TF_TMP/s2.log" || say "session 2 did not resume"
grep -q "Resuming" "$out/fuzz/afl-work/logs/main-2.log" || say "afl-fuzz main did not resume"
[ "$(ls "$out/fuzz/afl/main/queue" | wc -l)" -ge "$q1" ] || say "the main queue shrank on resume"
rt2=$(awk -F: '/^run_time/ { print $2 + 0 }' "$out/fuzz/afl/main/fuzzer_stats")
[ "$rt2" -gt "$rt1" ] || say "AFL's run time did not go on ($rt1 -> $rt2)"
ls "$out/findings" | comm -23 "$TF_TMP/ids1" - | grep -q . && say "session 2 lost findings"
check_clean "session 2"

# 3. SIGTERM.
"$script" --time 600 --jobs 2 --out "$out" --build-dir "$build" >"$TF_TMP/s3.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
	grep -q "execs" "$TF_TMP/s3.log" 2>/dev/null && break
	sleep 1
done
sleep 4
kill -TERM "$pid"
wait "$pid"
rc=$?
[ $rc -eq 0 ] || say "SIGTERM: exit $rc: $(tail -3 "$TF_TMP/s3.log")"
grep -q "fuzzing ended (stopped)" "$TF_TMP/s3.log" || say "SIGTERM: not reported as stopped"
check_clean "SIGTERM"
python3 - "$out/fuzz-stats.json" <<'EOF' || say "fuzz-stats.json (above)"
import json, sys
s = json.load(open(sys.argv[1]))
ends = [(x["engine"], x["end"]) for x in s["sessions"]]
if ends != [("afl", "time"), ("afl", "time"), ("afl", "stopped")]:
    print("  sessions: %r" % ends)
    sys.exit(1)
EOF
[ $fails -eq 0 ] && echo "overnight_afl: all checks passed ($(ls "$out/findings" | wc -l) findings over 3 sessions)"
exit $((fails > 0))
