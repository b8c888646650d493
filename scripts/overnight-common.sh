# scripts/overnight-common.sh — what overnight-libfuzzer.sh and
# overnight-afl.sh share (sourced, not run): option parsing helpers, the
# findings directory's lock and repair, the fuzzing timeline and
# fuzz-stats.json, crash import, the minimize step and the closing words.
#
# A findings directory DIR used by the overnight scripts:
#   DIR/findings/ examples/ crashes/   as for `trustfuzz run` (docs/campaign.md);
#                                      the fuzz target writes findings there
#   DIR/corpus/                        the merged corpus, shared by both engines
#   DIR/fuzz-stats.json                sessions and timeline, read by `trustfuzz report`
#   DIR/fuzz/sessions.tsv              one line per session (the record
#   DIR/fuzz/timeline.tsv              fuzz-stats.json is made from)
#   DIR/fuzz/seen.tsv                  when each signature was first seen
#   DIR/fuzz/libfuzzer/, DIR/fuzz/afl/ each engine's own files and logs
#   DIR/.lock                          held while a script (or a campaign) runs
# shellcheck shell=bash

ov_say() { printf '%s: %s\n' "$OV_NAME" "$*"; }
ov_die() {
	printf '%s: %s\n' "$OV_NAME" "$*" >&2
	exit "${2:-2}"
}

# "90", "90s", "30m", "8h" -> seconds.
ov_seconds() {
	local v=$1 n unit
	[[ $v =~ ^([0-9]+)([smh]?)$ ]] || return 1
	n=${BASH_REMATCH[1]}
	unit=${BASH_REMATCH[2]}
	case $unit in
	m) n=$((n * 60)) ;;
	h) n=$((n * 3600)) ;;
	esac
	[ "$n" -ge 1 ] || return 1
	echo "$n"
}

ov_human() {
	local s=${1%.*}
	if [ "$s" -ge 3600 ]; then
		printf '%dh%02dm' $((s / 3600)) $((s % 3600 / 60))
	elif [ "$s" -ge 60 ]; then
		printf '%dm%02ds' $((s / 60)) $((s % 60))
	else
		printf '%ds' "$s"
	fi
}

# A JSON string literal of $1 (quotes, backslashes and control characters
# escaped).
ov_json_str() {
	local s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		'"') out+='\"' ;;
		'\') out+='\\' ;;
		$'\n') out+='\n' ;;
		$'\t') out+='\t' ;;
		$'\r') out+='\r' ;;
		[[:cntrl:]]) out+='?' ;;
		*) out+=$c ;;
		esac
	done
	printf '"%s"' "$out"
}

# The trustfuzz CLI for the minimize step: $TRUSTFUZZ, else trustfuzz in
# one of the build directories given, else on PATH; nothing when none.
ov_find_trustfuzz() {
	local b
	if [ -n "${TRUSTFUZZ:-}" ]; then
		echo "$TRUSTFUZZ"
		return
	fi
	for b in "$@"; do
		if [ -x "$b/trustfuzz" ]; then
			echo "$b/trustfuzz"
			return
		fi
	done
	command -v trustfuzz || true
}

# Prepares DIR: folders, the lock (one script or campaign per directory at
# a time: each sweeps the others' temp files when it starts), and repair of
# what an earlier run killed at the wrong moment left behind.
ov_open_dir() {
	local dir=$1
	mkdir -p "$dir/findings" "$dir/examples" "$dir/crashes" "$dir/corpus" "$dir/fuzz" ||
		ov_die "$dir: cannot create the findings directory"
	exec 9>>"$dir/.lock"
	flock -n 9 || ov_die "$dir is in use by another overnight script or trustfuzz run (it holds $dir/.lock)"
	# A merge is published by two renames (corpus -> corpus.old,
	# corpus.merging -> corpus); between them only corpus.old is whole.
	if [ -d "$dir/corpus.old" ]; then
		if [ -d "$dir/corpus.merging" ] && [ ! -d "$dir/corpus" ] ; then
			mv "$dir/corpus.merging" "$dir/corpus"
		elif [ ! -d "$dir/corpus" ] || [ -z "$(ls -A "$dir/corpus")" ]; then
			rm -rf "$dir/corpus"
			mv "$dir/corpus.old" "$dir/corpus"
		fi
		rm -rf "$dir/corpus.old"
		ov_say "repaired the corpus after an interrupted merge"
	fi
	rm -rf "$dir/corpus.merging"
	mkdir -p "$dir/corpus"
	ov_sweep "$dir"
	touch "$dir/fuzz/sessions.tsv" "$dir/fuzz/timeline.tsv" "$dir/fuzz/seen.tsv"
}

# Removes the temp files of writers that were killed (findings.h:
# ".NAME.XXXXXX"): when a run starts, and after its fuzzers stopped (a
# stopped fuzzer may have been writing). Only while holding DIR/.lock.
ov_sweep() {
	find "$1/findings" "$1/examples" "$1/crashes" -maxdepth 1 -type f -name '.*' -delete
}

# Seconds of fuzzing in earlier sessions (the offset of this session's
# timeline).
ov_offset() {
	awk -F'\t' '{ s += $4 } END { printf "%d\n", s }' "$1/fuzz/sessions.tsv"
}

ov_count_findings() {
	find "$1/findings" -maxdepth 1 -type f -name '????????????????.json' | wc -l
}

# One look at the directory at fuzzing second $2: a timeline point when the
# number of signatures changed (or, with $3 = end, at the end of a session
# in any case, so that a flat stretch shows the campaign saturated), and
# the first-seen time of each new one.
ov_poll() {
	local dir=$1 s=$2 n last id
	n=$(ov_count_findings "$dir")
	last=$(tail -n 1 "$dir/fuzz/timeline.tsv" | cut -f2)
	if [ "$n" != "${last:-}" ] || [ "${3:-}" = end ]; then
		printf '%s\t%s\n' "$s" "$n" >>"$dir/fuzz/timeline.tsv"
	fi
	find "$dir/findings" -maxdepth 1 -type f -name '????????????????.json' -printf '%f\n' |
		sed 's/\.json$//' | sort >"$dir/fuzz/.ids"
	cut -f1 "$dir/fuzz/seen.tsv" | sort >"$dir/fuzz/.seen"
	comm -23 "$dir/fuzz/.ids" "$dir/fuzz/.seen" | while read -r id; do
		printf '%s\t%s\n' "$id" "$s" >>"$dir/fuzz/seen.tsv"
	done
	rm -f "$dir/fuzz/.ids" "$dir/fuzz/.seen"
}

# Rewrites DIR/fuzz-stats.json (report.h documents it) from the .tsv
# record, with the running session (engine jobs start seconds execs end)
# appended when given. Atomic: written beside, then renamed.
ov_write_stats() {
	local dir=$1 tmp
	shift
	tmp=$(mktemp "$dir/.fuzz-stats.json.XXXXXX")
	{
		printf '{\n  "schema": "trustfuzz-fuzz-stats",\n  "version": 1,\n'
		printf '  "evaluators": %s,\n' "$(ov_json_str "${TRUSTFUZZ_EVALUATORS:-ref,kb,openssl}")"
		printf '  "depth": %s,\n' "$(ov_json_str "${TRUSTFUZZ_DEPTH:-status}")"
		{
			cat "$dir/fuzz/sessions.tsv"
			[ $# -eq 6 ] && printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@"
		} | awk -F'\t' '
			{ n++; eng[n]=$1; jobs[n]=$2; start[n]=$3; secs[n]=$4; execs[n]=$5; end[n]=$6
			  ts += $4; te += $5 }
			END {
				printf "  \"elapsed_s\": %.1f,\n  \"execs\": %d,\n  \"sessions\": [", ts, te
				for (i = 1; i <= n; i++)
					printf "%s\n    {\"engine\": \"%s\", \"jobs\": %d, \"start\": \"%s\", \"seconds\": %.1f, \"execs\": %d, \"end\": \"%s\"}", (i > 1 ? "," : ""), eng[i], jobs[i], start[i], secs[i], execs[i], end[i]
				printf "%s],\n", (n ? "\n  " : "")
			}'
		awk -F'\t' '
			{ n++; printf "%s\n    {\"s\": %.1f, \"distinct\": %d}", (n > 1 ? "," : "  \"timeline\": ["), $1, $2 }
			END { printf "%s],\n", (n ? "\n  " : "  \"timeline\": [") }' "$dir/fuzz/timeline.tsv"
		awk -F'\t' '
			length($1) == 16 && $1 ~ /^[0-9a-f]+$/ { n++; printf "%s\n    \"%s\": %.1f", (n > 1 ? "," : "  \"first_seen\": {"), $1, $2 }
			END { printf "%s}\n", (n ? "\n  " : "  \"first_seen\": {") }' "$dir/fuzz/seen.tsv"
		printf '}\n'
	} >"$tmp"
	chmod 644 "$tmp"
	mv "$tmp" "$dir/fuzz-stats.json"
}

# Copies an engine's crash input into DIR/crashes/<name>.bin with a .json
# note (kind, engine, reason, how to replay); does nothing when it is there.
ov_import_crash() {
	local dir=$1 engine=$2 file=$3 reason=$4 name
	name="$engine-$(sha1sum "$file" | cut -c1-16)"
	[ -f "$dir/crashes/$name.bin" ] && return 1
	cp "$file" "$dir/crashes/.$name.bin.tmp" && mv "$dir/crashes/.$name.bin.tmp" "$dir/crashes/$name.bin"
	{
		printf '{\n  "kind": "fuzz-crash",\n  "engine": "%s",\n' "$engine"
		printf '  "original": %s,\n' "$(ov_json_str "$(basename "$file")")"
		printf '  "reason": %s,\n' "$(ov_json_str "$reason")"
		printf '  "input": "%s.bin",\n' "$name"
		printf '  "replay": "fuzz-diff-replay crashes/%s.bin"\n}\n' "$name"
	} >"$dir/crashes/.$name.json.tmp" && mv "$dir/crashes/.$name.json.tmp" "$dir/crashes/$name.json"
	return 0
}

# Why an input crashed, from running it once more ($@: the command): the
# first line a sanitizer, libFuzzer or the target's own abort message
# ("fuzz-diff: ...") gives, else the last line.
ov_crash_reason() {
	local out rc
	out=$(timeout 60 "$@" 2>&1 </dev/null)
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "crashed when fuzzed (does not crash when run again by itself)"
		return
	fi
	grep -m1 -E '^==[0-9]+==ERROR|^fuzz-diff[a-z-]*: |runtime error:|^SUMMARY:' <<<"$out" ||
		{ [ $rc -eq 124 ] && echo "timed out (60 s) when run again"; } ||
		tail -n 1 <<<"$out"
}

# The fuzz target minimizes before it records, so every finding it wrote is
# minimized; a finding tagged "unminimized" came from a campaign stopped
# before it got to it. Those are minimized here, in place (atomically).
ov_minimize() {
	local dir=$1 tf=$2 f id n=0 failed=0
	for f in "$dir"/findings/????????????????.json; do
		[ -f "$f" ] || continue
		grep -q '"unminimized"' "$f" || continue
		id=$(basename "$f" .json)
		if [ -z "$tf" ]; then
			failed=$((failed + 1))
			continue
		fi
		if "$tf" minimize "$f" --signature "$id" --max-steps "${TRUSTFUZZ_MIN_STEPS:-4000}" \
			--out "$f" >/dev/null 2>&1; then
			n=$((n + 1))
		else
			failed=$((failed + 1))
		fi
	done
	if [ $((n + failed)) -eq 0 ]; then
		ov_say "findings: all $(ov_count_findings "$dir") minimized (the fuzz target minimizes before it records)"
	else
		ov_say "findings: minimized $n left unminimized by an earlier campaign"
		[ "$failed" -eq 0 ] || ov_say "findings: $failed could not be minimized here (no trustfuzz binary, or minimize failed): try trustfuzz minimize FILE --out FILE"
	fi
}

ov_howto() {
	local dir=$1 tf=${2:-trustfuzz}
	cat <<EOF
$OV_NAME: where things are:
  $dir/findings/     one minimized fixture per distinct divergence signature
  $dir/crashes/      inputs that crashed the target (harness or backend bugs)
  $dir/corpus/       the merged corpus (resumed by the next run of either script)
  $dir/fuzz-stats.json  sessions and the signatures-over-time timeline
$OV_NAME: how to read it:
  $tf report $dir            # HTML + Markdown in $dir/report/
  $tf replay $dir/findings   # every finding still shows its verdicts
$OV_NAME: to continue, run the same command again (corpus and findings resume).
EOF
}

# ---- What both scripts do the same way around their engine -------------

# An option both scripts take: --time, --jobs, --out, --build-dir,
# --evaluators, --depth (setting time_s, jobs, out, build and the target's
# environment). Call with "$@"; returns 1 for any other option, else 0 with
# ov_shift set to the number of words it used.
# shellcheck disable=SC2034 # sets variables of the calling script
ov_common_option() {
	ov_shift=2
	case $1 in
	-t | --time) time_s=$(ov_seconds "${2:-}") || ov_die "--time: \"${2:-}\" is not seconds, Nm or Nh" ;;
	-j | --jobs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || ov_die "--jobs: \"${2:-}\" is not a number >= 1"; jobs=$2 ;;
	-o | --out) out=${2:?--out needs a directory} ;;
	-b | --build-dir) build=${2:?--build-dir needs a directory} ;;
	-e | --evaluators) export TRUSTFUZZ_EVALUATORS=${2:?--evaluators needs a list} ;;
	-d | --depth) export TRUSTFUZZ_DEPTH=${2:?--depth needs status, win32 or path} ;;
	*) return 1 ;;
	esac
	return 0
}

# A session on the open findings directory DIR ($1): the target records
# into it, with the repository's known table unless TRUSTFUZZ_KNOWN says
# otherwise. Sets offset (the timeline time this session starts at),
# session (its number), before (signatures already there), start,
# start_iso, and poll_s (time_s / 60, between 5 and 60 s).
# shellcheck disable=SC2034 # sets variables of the calling script
ov_session_begin() {
	export TRUSTFUZZ_FINDINGS=$1
	export TRUSTFUZZ_KNOWN=${TRUSTFUZZ_KNOWN:-$src/corpus/known-divergences.json}
	offset=$(ov_offset "$1")
	session=$(($(wc -l <"$1/fuzz/sessions.tsv") + 1))
	before=$(ov_count_findings "$1")
	start=$(date +%s)
	start_iso=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	poll_s=$((time_s / 60))
	[ $poll_s -lt 5 ] && poll_s=5
	[ $poll_s -gt 60 ] && poll_s=60
}

# Waits for process $1, started with setsid, until it has really ended (a
# trapped signal interrupts `wait`); its exit status goes to ov_rc. Then
# waits for the rest of its process group (libFuzzer's fork-mode children,
# afl-fuzz's target), SIGKILLing what is left after 30 s: they hold the
# directory's lock and write into it, so nothing of this session may
# outlive it.
# shellcheck disable=SC2034 # sets variables of the calling script
ov_wait() {
	local k
	while :; do
		wait "$1"
		ov_rc=$?
		kill -0 "$1" 2>/dev/null || break
	done
	for k in $(seq 1 150); do
		kill -0 -- "-$1" 2>/dev/null || return 0
		sleep 0.2
	done
	kill -s KILL -- "-$1" 2>/dev/null
	sleep 0.2
}

# After fuzzing: DIR ($1) swept and polled once more, the session ENGINE
# JOBS ELAPSED EXECS END ($2..$6) appended to sessions.tsv, the statistics
# written, and said.
ov_session_record() {
	ov_sweep "$1"
	ov_poll "$1" $((offset + $4)) end
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$start_iso" "$4" "$5" "$6" >>"$1/fuzz/sessions.tsv"
	ov_write_stats "$1"
	ov_say "fuzzing ended ($6) after $(ov_human "$4"): $5 executions"
}

# The end of a corpus merge into DIR/corpus.merging ($1) with status $2:
# swapped in for DIR/corpus when it succeeded, was not interrupted (at most
# one signal, $3) and holds something; else dropped (log $4 says why).
ov_merge_swap() {
	if [ "$2" -eq 0 ] && [ "$3" -le 1 ] && [ -n "$(ls -A "$1/corpus.merging")" ]; then
		mv "$1/corpus" "$1/corpus.old" && mv "$1/corpus.merging" "$1/corpus" &&
			rm -rf "$1/corpus.old"
		ov_say "corpus merged: $(ls "$1/corpus" | wc -l) inputs"
	else
		rm -rf "$1/corpus.merging"
		ov_say "merge skipped or failed (status $2, $4): the corpus is kept as it was"
	fi
}

# The last steps: minimize what is left unminimized in DIR ($1) with the
# trustfuzz binary $2, write the statistics, count the signatures and say
# how to read them.
ov_session_finish() {
	local after
	ov_minimize "$1" "$2"
	ov_write_stats "$1"
	after=$(ov_count_findings "$1")
	ov_say "signatures: $after in $1/findings ($((after - before)) new this session)"
	ov_howto "$1" "${2:-trustfuzz}"
}
