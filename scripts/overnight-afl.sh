#!/usr/bin/env bash
# scripts/overnight-afl.sh — an overnight AFL++ campaign of the differential
# fuzz target (docs/report.md, "Overnight campaigns").
#
#   scripts/overnight-afl.sh [--time 8h] [--jobs N] [--out DIR]
#                            [--target BIN | --build-dir DIR]
#                            [--evaluators LIST] [--depth D] [-- AFL_FUZZ_FLAGS...]
#
# What it does, in order (and prints as it goes):
#  1. builds fuzz-diff-afl in persistent mode with afl-clang-fast
#     (-DTF_AFL=ON), unless --target names one;
#  2. opens DIR (default ./findings-afl): takes DIR/.lock, repairs what an
#     interrupted run left (half-done corpus merge, writers' temp files);
#  3. runs N afl-fuzz instances for the time budget (-V S): one main (-M main)
#     and N-1 secondaries (-S sec1 ...), output in DIR/fuzz/afl; the first
#     session starts from DIR/corpus plus the seeds in corpus/fuzz/diff,
#     later ones resume each instance's queue (AFL_AUTORESUME=1, the same as
#     -i -); the main instance also imports DIR/corpus as a foreign queue
#     (-F), so what the libFuzzer script found is shared. The target records
#     every new divergence signature as a minimized fixture in DIR/findings
#     (TRUSTFUZZ_FINDINGS=DIR: no-clobber writes, so instances never
#     duplicate a signature); a status line and a timeline point every poll;
#  4. merges every instance's queue and DIR/corpus with afl-cmin into
#     DIR/corpus (built beside it, then swapped in);
#  5. copies crash inputs into DIR/crashes with a note each, minimizes any
#     finding still tagged unminimized, writes DIR/fuzz-stats.json, and says
#     how to read the results (`trustfuzz report DIR`).
# Ctrl-C (SIGINT) or SIGTERM stops the instances and still does 4 and 5; a
# second one skips the merge. Running the same command again resumes.
# In a container, as root, the AFL++ checks that need a tuned host are
# turned off (AFL_SKIP_CPUFREQ, AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES,
# AFL_NO_AFFINITY); set them yourself to other values to override.
# Exit: 0 done (findings are results), 2 usage, 3 build or afl-fuzz failure.
set -uo pipefail
OV_NAME=overnight-afl
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/overnight-common.sh
. "$src/scripts/overnight-common.sh"

usage() {
	sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	cat <<EOF
options:
  -t, --time T          time budget: seconds, or 30m, 8h (default 8h)
  -j, --jobs N          afl-fuzz instances: 1 main + N-1 secondaries (default: $(nproc))
  -o, --out DIR         findings directory (default ./findings-afl)
  -T, --target BIN      an afl-clang-fast build of fuzz-diff-afl to use instead of building
  -b, --build-dir DIR   where to build it (default $src/build-afl)
  -e, --evaluators LIST instance list (default ref,kb,openssl)
  -d, --depth D         status (default), win32 or path
  -h, --help            this text
EOF
}

time_s=$((8 * 3600))
jobs=$(nproc)
out=./findings-afl
target=
build=$src/build-afl
extra=()
while [ $# -gt 0 ]; do
	ov_common_option "$@" && { shift "$ov_shift"; continue; }
	case $1 in
	-T | --target) target=${2:?--target needs a file}; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; extra=("$@"); break ;;
	*) ov_die "unknown option '$1' (see --help)" ;;
	esac
	shift
done
command -v afl-fuzz >/dev/null || ov_die "afl-fuzz not found (Debian: apt-get install afl++)" 3

# 1. The target.
if [ -z "$target" ]; then
	ov_say "building fuzz-diff-afl (afl-clang-fast, persistent mode) in $build"
	gen=()
	command -v ninja >/dev/null && [ ! -f "$build/CMakeCache.txt" ] && gen=(-G Ninja)
	CC=afl-clang-fast cmake -S "$src" -B "$build" "${gen[@]}" -DTF_AFL=ON >"$build.cmake.log" 2>&1 ||
		{ cat "$build.cmake.log" >&2; ov_die "cmake failed" 3; }
	rm -f "$build.cmake.log"
	cmake --build "$build" --target fuzz-diff-afl fuzz-diff-replay trustfuzz -j "$(nproc)" >/dev/null ||
		ov_die "build failed: cmake --build $build --target fuzz-diff-afl" 3
	target=$build/harness/fuzz/fuzz-diff-afl
fi
[ -x "$target" ] || ov_die "$target: not an executable (build it with CC=afl-clang-fast -DTF_AFL=ON)"
replay=$(dirname "$target")/fuzz-diff-replay
tf=$(ov_find_trustfuzz "$build" "$src/build")

# 2. The directory.
ov_open_dir "$out"
out=$(cd "$out" && pwd)
work=$out/fuzz/afl-work
afl=$out/fuzz/afl
mkdir -p "$work/logs" "$afl"
ov_session_begin "$out"
export AFL_SKIP_CPUFREQ=${AFL_SKIP_CPUFREQ:-1}
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=${AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES:-1}
export AFL_NO_AFFINITY=${AFL_NO_AFFINITY:-1}
export AFL_NO_UI=1 AFL_AUTORESUME=1 AFL_ALLOW_TMP=1
# afl-fuzz refuses sanitizer options it did not set (a CI's ASAN_OPTIONS
# without symbolize=0, say) and sets its own when the target needs them.
unset ASAN_OPTIONS UBSAN_OPTIONS MSAN_OPTIONS LSAN_OPTIONS
# The target opens OpenSSL and derives keys before the fork server starts.
export AFL_FORKSRV_INIT_TMOUT=${AFL_FORKSRV_INIT_TMOUT:-60000}
names=(main)
for ((k = 1; k < jobs; k++)); do names+=("sec$k"); done

# Executions of all instances as their fuzzer_stats say (AFL++ carries the
# count over a resume).
execs() {
	cat "$afl"/*/fuzzer_stats 2>/dev/null | awk -F: '$1 ~ /^execs_done/ { n += $2 } END { printf "%d\n", n }'
}
crash_files() {
	find "$afl" -path '*/crashes/id:*' -type f 2>/dev/null | wc -l
}

# First session: seeds plus the shared corpus, copied into one input folder
# (afl-fuzz takes one); later sessions resume and ignore it.
rm -rf "$work/input"
mkdir -p "$work/input"
cp "$src"/corpus/fuzz/diff/* "$work/input/"
for f in "$out"/corpus/*; do
	[ -f "$f" ] && cp "$f" "$work/input/corpus-$(basename "$f")"
done
execs_before=$(execs)

ov_say "session $session: $jobs afl-fuzz instance(s) (${names[*]}) for $(ov_human "$time_s"), evaluators ${TRUSTFUZZ_EVALUATORS:-ref,kb,openssl}"
ov_say "findings  -> $out/findings ($before already there)"
ov_say "afl-fuzz  -> $afl/<instance>/ (queue, crashes, hangs, fuzzer_stats)$([ -d "$afl/main/queue" ] && echo ', resumed')"
ov_say "corpus    -> $out/corpus ($(ls "$out/corpus" | wc -l) inputs) + seeds $src/corpus/fuzz/diff"
ov_say "logs      -> $work/logs/"
ov_say "stop with Ctrl-C: the queues are merged and everything saved before it exits"

# 3. Fuzz.
pids=()
phase=fuzz
signals=0
end="time"
# afl-fuzz stops cleanly on SIGTERM (and a background process of a script
# has SIGINT ignored); a third signal kills outright.
on_signal() {
	signals=$((signals + 1))
	end=stopped
	local sig=TERM p
	[ $signals -ge 3 ] && sig=KILL
	ov_say "stopping ($phase; signal $signals: SIG$sig)" >&2
	for p in "${pids[@]}"; do
		kill -s $sig -- "-$p" 2>/dev/null
	done
}
trap on_signal INT TERM

for name in "${names[@]}"; do
	role=(-S "$name")
	[ "$name" = main ] && role=(-M main -F "$out/corpus")
	setsid afl-fuzz "${role[@]}" -i "$work/input" -o "$afl" -V "$time_s" -t 20000 \
		-x "$src/corpus/fuzz/trustfuzz.dict" "${extra[@]}" -- "$target" \
		>"$work/logs/$name-$session.log" 2>&1 &
	pids+=($!)
done

(
	sp=
	trap '[ -n "$sp" ] && kill "$sp" 2>/dev/null; exit 0' TERM
	while :; do
		alive=0
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
		[ $alive -eq 0 ] && break
		now=$(date +%s)
		el=$((now - start))
		ov_poll "$out" $((offset + el))
		ov_write_stats "$out" afl "$jobs" "$start_iso" "$el" $(($(execs) - execs_before)) running
		printf '%s: [%s] %s/%s instances, %s execs, %s signatures (%s new this session), %s crash files\n' \
			"$OV_NAME" "$(ov_human $el)" "$alive" "$jobs" $(($(execs) - execs_before)) \
			"$(ov_count_findings "$out")" $(($(ov_count_findings "$out") - before)) "$(crash_files)"
		if [ $el -gt $((time_s + 60 + time_s / 20)) ]; then
			for p in "${pids[@]}"; do kill -s TERM -- "-$p" 2>/dev/null; done
		fi
		sleep "$poll_s" 9>&- >/dev/null 2>&1 &
		sp=$!
		wait "$sp"
	done
) &
poller=$!

failed=0
for i in "${!pids[@]}"; do
	ov_wait "${pids[$i]}"
	rc=$ov_rc
	if [ $rc -ne 0 ] && [ $signals -eq 0 ]; then
		failed=$((failed + 1))
		ov_say "afl-fuzz ${names[$i]} exited with status $rc; the end of $work/logs/${names[$i]}-$session.log:" >&2
		tail -n 12 "$work/logs/${names[$i]}-$session.log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >&2
	fi
done
kill "$poller" 2>/dev/null
wait "$poller" 2>/dev/null
el=$(($(date +%s) - start))
[ $failed -gt 0 ] && end=error
n_execs=$(($(execs) - execs_before))
[ $n_execs -lt 0 ] && n_execs=$(execs)
ov_session_record "$out" afl "$jobs" "$el" "$n_execs" "$end"
if [ ! -f "$afl/main/fuzzer_stats" ]; then
	ov_say "afl-fuzz could not start here (see $work/logs/main-$session.log)" >&2
	exit 3
fi

# 4. Merge every queue and the shared corpus into DIR/corpus.
if [ $signals -le 1 ] && command -v afl-cmin >/dev/null; then
	phase=merge
	rm -rf "$work/merge-in"
	mkdir -p "$work/merge-in" "$out/corpus.merging"
	for f in "$afl"/*/queue/id:* "$out"/corpus/*; do
		[ -f "$f" ] && cp "$f" "$work/merge-in/$(sha1sum "$f" | cut -c1-40)"
	done
	ov_say "merging $(ls "$work/merge-in" | wc -l) inputs (all queues + corpus) with afl-cmin -> $out/corpus"
	TRUSTFUZZ_FINDINGS='' setsid afl-cmin -i "$work/merge-in" -o "$out/corpus.merging" -t 20000 \
		-- "$target" >"$work/logs/merge-$session.log" 2>&1 &
	pids=($!)
	ov_wait "${pids[0]}"
	pids=()
	ov_merge_swap "$out" "$ov_rc" "$signals" "$work/logs/merge-$session.log"
	rm -rf "$work/merge-in"
fi
phase=wrap-up

# 5. Crashes, minimization, statistics, how to read.
nc=0
while IFS= read -r f; do
	reason="crashed under afl-fuzz"
	[ -x "$replay" ] && reason=$(ov_crash_reason "$replay" "$f")
	ov_import_crash "$out" afl "$f" "$reason" && nc=$((nc + 1))
done < <(find "$afl" -path '*/crashes/id:*' -type f 2>/dev/null | sort)
nh=$(find "$afl" -path '*/hangs/id:*' -type f 2>/dev/null | wc -l)
ov_say "crashes: $nc new crash input(s) in $out/crashes; $nh hang(s) in $afl/*/hangs (inputs over 20 s)"
ov_session_finish "$out" "$tf"
[ "$end" = error ] && exit 3
exit 0
