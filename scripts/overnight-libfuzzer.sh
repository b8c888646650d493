#!/usr/bin/env bash
# scripts/overnight-libfuzzer.sh — an overnight libFuzzer campaign of the
# differential fuzz target (docs/report.md, "Overnight campaigns").
#
#   scripts/overnight-libfuzzer.sh [--time 8h] [--jobs N] [--out DIR]
#                                  [--fuzzer BIN | --build-dir DIR [--asan]]
#                                  [--evaluators LIST] [--depth D] [-- LIBFUZZER_FLAGS...]
#
# What it does, in order (and prints as it goes):
#  1. builds fuzz-diff with clang and -DTF_FUZZ=ON (unless --fuzzer names one);
#  2. opens DIR (default ./findings-fuzz): takes DIR/.lock, repairs what an
#     interrupted run left (half-done corpus merge, writers' temp files);
#  3. runs libFuzzer in fork mode, N jobs, for the time budget:
#     -fork=N -max_total_time=S -dict=corpus/fuzz/trustfuzz.dict -len_control=0
#     (inputs may grow to -max_len at once: a divergence needs a whole
#     scenario, and libFuzzer's slow length ramp delays the first one from
#     about 0.5 s to about 30 s),
#     -ignore_crashes=1, corpus DIR/corpus (persisted) plus the seeds in
#     corpus/fuzz/diff (read only); the target records every new divergence
#     signature as a minimized fixture in DIR/findings (TRUSTFUZZ_FINDINGS=DIR:
#     no-clobber writes, so jobs never duplicate a signature); a status line
#     and a timeline point every poll;
#  4. merges the corpus (-merge=1 into DIR/corpus.merging, then swapped in);
#  5. copies crash inputs into DIR/crashes with a note each, minimizes any
#     finding still tagged unminimized, writes DIR/fuzz-stats.json, and says
#     how to read the results (`trustfuzz report DIR`).
# Ctrl-C (SIGINT) or SIGTERM stops the fuzzers and still does 4 and 5; a
# second one skips the merge (the old corpus stays). Running the same
# command again resumes: corpus, findings and statistics carry over.
# Exit: 0 done (findings are results), 2 usage, 3 build or fuzzer failure.
set -uo pipefail
OV_NAME=overnight-libfuzzer
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/overnight-common.sh
. "$src/scripts/overnight-common.sh"

usage() {
	sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	cat <<EOF
options:
  -t, --time T          time budget: seconds, or 30m, 8h (default 8h)
  -j, --jobs N          parallel fuzzing jobs (default: online CPUs, $(nproc))
  -o, --out DIR         findings directory (default ./findings-fuzz)
  -f, --fuzzer BIN      a libFuzzer build of fuzz-diff to use instead of building
  -b, --build-dir DIR   where to build it (default $src/build-fuzz)
      --asan            build with ASan/UBSan (slower, catches memory bugs)
  -e, --evaluators LIST instance list (default ref,kb,openssl)
  -d, --depth D         status (default), win32 or path
  -h, --help            this text
EOF
}

time_s=$((8 * 3600))
jobs=$(nproc)
out=./findings-fuzz
fuzzer=
build=
asan=0
extra=()
while [ $# -gt 0 ]; do
	ov_common_option "$@" && { shift "$ov_shift"; continue; }
	case $1 in
	-f | --fuzzer) fuzzer=${2:?--fuzzer needs a file}; shift ;;
	--asan) asan=1 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; extra=("$@"); break ;;
	*) ov_die "unknown option '$1' (see --help)" ;;
	esac
	shift
done
[ -n "$build" ] || build=$src/build-fuzz$([ $asan = 1 ] && echo -asan)

# 1. The fuzzer.
if [ -z "$fuzzer" ]; then
	ov_say "building fuzz-diff (clang, -DTF_FUZZ=ON$([ $asan = 1 ] && echo ', ASan/UBSan')) in $build"
	gen=()
	command -v ninja >/dev/null && [ ! -f "$build/CMakeCache.txt" ] && gen=(-G Ninja)
	san=OFF
	[ $asan = 1 ] && san=ON
	CC=${CC:-clang} cmake -S "$src" -B "$build" "${gen[@]}" -DTF_FUZZ=ON -DTF_SANITIZE=$san \
		>"$build.cmake.log" 2>&1 || { cat "$build.cmake.log" >&2; ov_die "cmake failed" 3; }
	rm -f "$build.cmake.log"
	cmake --build "$build" --target fuzz-diff trustfuzz -j "$(nproc)" >/dev/null ||
		ov_die "build failed: cmake --build $build --target fuzz-diff" 3
	fuzzer=$build/harness/fuzz/fuzz-diff
fi
[ -x "$fuzzer" ] || ov_die "$fuzzer: not an executable (build it with -DTF_FUZZ=ON, see --help)"
tf=$(ov_find_trustfuzz "$build" "$src/build")

# 2. The directory.
ov_open_dir "$out"
out=$(cd "$out" && pwd)
work=$out/fuzz/libfuzzer
mkdir -p "$work/logs" "$work/artifacts"
ov_session_begin "$out"
log=$work/logs/session-$session.log

ov_say "session $session: $jobs job(s) for $(ov_human "$time_s"), evaluators ${TRUSTFUZZ_EVALUATORS:-ref,kb,openssl}"
ov_say "findings  -> $out/findings ($before already there)"
ov_say "corpus    -> $out/corpus ($(ls "$out/corpus" | wc -l) inputs) + seeds $src/corpus/fuzz/diff"
ov_say "log       -> $log"
ov_say "stop with Ctrl-C: the corpus is merged and everything saved before it exits"

# Executions so far: the fork-mode parent prints "#N: cov: ..." lines.
execs() {
	local n
	n=$(grep -aoE '^#[0-9]+' "$log" 2>/dev/null | tail -n 1 | tr -d '#')
	echo "${n:-0}"
}

# 3. Fuzz.
fpid=
phase=fuzz
signals=0
end="time"
# The fuzzer gets SIGTERM, which libFuzzer handles like Ctrl-C: a process
# started in the background by a script has SIGINT ignored, and libFuzzer
# does not take an ignored SIGINT back. A third signal kills outright.
on_signal() {
	signals=$((signals + 1))
	end=stopped
	local sig=TERM
	[ $signals -ge 3 ] && sig=KILL
	if [ -n "$fpid" ]; then
		ov_say "stopping ($phase; signal $signals: SIG$sig to the fuzzer)" >&2
		kill -s $sig -- "-$fpid" 2>/dev/null
	fi
}
trap on_signal INT TERM

setsid "$fuzzer" -fork="$jobs" -max_total_time="$time_s" -dict="$src/corpus/fuzz/trustfuzz.dict" \
	-len_control=0 -artifact_prefix="$work/artifacts/" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
	-print_final_stats=1 "${extra[@]}" "$out/corpus" "$src/corpus/fuzz/diff" >"$log" 2>&1 &
fpid=$!

# The poller: timeline, fuzz-stats.json, a status line, and a watchdog in
# case the fuzzer overruns its budget.
(
	sp=
	trap '[ -n "$sp" ] && kill "$sp" 2>/dev/null; exit 0' TERM
	while kill -0 "$fpid" 2>/dev/null; do
		now=$(date +%s)
		el=$((now - start))
		ov_poll "$out" $((offset + el))
		ov_write_stats "$out" libfuzzer "$jobs" "$start_iso" "$el" "$(execs)" running
		printf '%s: [%s] %s execs, %s signatures (%s new this session), corpus %s, %s crash files\n' \
			"$OV_NAME" "$(ov_human $el)" "$(execs)" "$(ov_count_findings "$out")" \
			$(($(ov_count_findings "$out") - before)) "$(ls "$out/corpus" | wc -l)" \
			"$(ls "$work/artifacts" | wc -l)"
		if [ $el -gt $((time_s + 60 + time_s / 20)) ]; then
			kill -s TERM -- "-$fpid" 2>/dev/null
		fi
		# Not holding the lock (fd 9) or the output: a sleep outliving
		# the script must not block the next run or a reader.
		sleep "$poll_s" 9>&- >/dev/null 2>&1 &
		sp=$!
		wait "$sp"
	done
) &
poller=$!

ov_wait "$fpid"
rc=$ov_rc
kill "$poller" 2>/dev/null
wait "$poller" 2>/dev/null
el=$(($(date +%s) - start))
[ $rc -ne 0 ] && [ "$end" = time ] && end=error
n_execs=$(execs)
ov_session_record "$out" libfuzzer "$jobs" "$el" "$n_execs" "$end"
if [ "$end" = error ]; then
	ov_say "libFuzzer exited with status $rc; the end of $log:" >&2
	tail -n 15 "$log" >&2
fi

# 4. Merge the corpus, unless a second signal asked to skip it.
if [ $signals -le 1 ] && [ -n "$(ls -A "$out/corpus")" ]; then
	phase=merge
	ov_say "merging the corpus ($(ls "$out/corpus" | wc -l) inputs) -> $out/corpus"
	mkdir -p "$out/corpus.merging"
	# Every corpus input already ran while fuzzing: no need to record again.
	TRUSTFUZZ_FINDINGS='' setsid "$fuzzer" -merge=1 -merge_control_file="$work/merge.ctl" \
		"$out/corpus.merging" "$out/corpus" >"$work/logs/merge-$session.log" 2>&1 &
	fpid=$!
	ov_wait "$fpid"
	fpid=
	ov_merge_swap "$out" "$ov_rc" "$signals" "$work/logs/merge-$session.log"
	rm -f "$work/merge.ctl"
fi
phase=wrap-up

# 5. Crashes, minimization, statistics, how to read.
nc=0
for f in "$work"/artifacts/crash-* "$work"/artifacts/leak-* "$work"/artifacts/oom-* "$work"/artifacts/timeout-*; do
	[ -f "$f" ] || continue
	if ov_import_crash "$out" libfuzzer "$f" "$(ov_crash_reason "$fuzzer" "$f")"; then
		nc=$((nc + 1))
	fi
done
ov_say "crashes: $nc new crash input(s) in $out/crashes (libFuzzer's own files: $work/artifacts)"
ov_session_finish "$out" "$tf"
[ "$end" = error ] && exit 3
exit 0
