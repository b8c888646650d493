#!/bin/bash
# tests/cli/overnight_libfuzzer.sh — scripts/overnight-libfuzzer.sh with a
# short budget (it builds fuzz-diff with clang into a build folder kept in
# TF_TMP, so later runs rebuild incrementally):
#  1. a 12-second session, 2 fork-mode jobs: exit 0, says where things are
#     and how to read them (trustfuzz report); findings recorded, minimized,
#     and they replay; a merged corpus; fuzz-stats.json with the session and
#     a timeline; no temp or half-merged folder left;
#  2. the same command again (8 s) resumes: the second session is appended,
#     the timeline goes on from the first one's time, no finding is lost or
#     duplicated (one file per signature id, each the fixture of its id); a
#     crash file left in libFuzzer's artifacts is imported into DIR/crashes
#     with a note;
#  3. a session stopped with SIGINT (job control on, as at a terminal) and
#     one with SIGTERM: each wraps up (exit 0, session "stopped", corpus
#     merged or kept, nothing half-done, no fuzzer left running), and the
#     directory stays usable (trustfuzz report on it works);
#  4. a directory in use (its .lock held) is refused with exit 2.
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
mkdir -p "$TF_TMP"
rm -rf "$TF_TMP/out" "$TF_TMP"/*.log
fails=0
say() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
script=$TF_SRC/scripts/overnight-libfuzzer.sh
out=$TF_TMP/out
build=$TF_TMP/build-fuzz
export TRUSTFUZZ

ids_ok() { # every finding is the fixture of its own signature id
	local f id
	for f in "$out"/findings/*.json; do
		id=$(basename "$f" .json)
		grep -q "\"id\": \"div-$id\"" "$f" || return 1
	done
}
check_clean() { # what must hold after any session
	local what=$1
	[ -d "$out/corpus.merging" ] && say "$what: corpus.merging left behind"
	[ -d "$out/corpus.old" ] && say "$what: corpus.old left behind"
	[ -n "$(find "$out/findings" "$out/examples" "$out/crashes" -name '.*' 2>/dev/null)" ] &&
		say "$what: temp files left in the findings directory"
	grep -l '"unminimized"' "$out"/findings/*.json >/dev/null 2>&1 && say "$what: an unminimized finding"
	ids_ok || say "$what: a finding whose id is not its file name"
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out/fuzz-stats.json" 2>/dev/null ||
		say "$what: fuzz-stats.json is not JSON"
	ps -eo args | grep -F -- "$out/corpus" | grep -v grep | grep -q fuzz-diff &&
		say "$what: a fuzzer is still running"
	return 0
}

# 1. First session.
if ! "$script" --time 12 --jobs 2 --out "$out" --build-dir "$build" >"$TF_TMP/s1.log" 2>&1; then
	tail -20 "$TF_TMP/s1.log"
	echo "FAIL: first session failed"
	exit 1
fi
for want in "session 1: 2 job(s)" "findings  -> $out/findings" "corpus merged" \
	"report $out" "to continue, run the same command again"; do
	grep -qF -- "$want" "$TF_TMP/s1.log" || say "session 1 output lacks '$want'"
done
n1=$(ls "$out"/findings/*.json 2>/dev/null | wc -l)
[ "$n1" -ge 1 ] || say "session 1 recorded no finding"
[ -n "$(ls -A "$out/corpus")" ] || say "session 1 left an empty corpus"
"$TRUSTFUZZ" replay "$out/findings" >"$TF_TMP/replay.log" 2>&1 || say "findings do not replay: $(tail -2 "$TF_TMP/replay.log")"
check_clean "session 1"

# 2. Restart: resume. A crash file planted where libFuzzer writes them
# checks the import into DIR/crashes (it does not crash when run again, and
# the note says so).
c1=$(ls "$out/corpus" | wc -l)
ls "$out/findings" >"$TF_TMP/ids1"
cp "$(ls "$TF_SRC"/corpus/fuzz/diff/* | head -n 1)" "$out/fuzz/libfuzzer/artifacts/crash-planted"
"$script" --time 8 --jobs 2 --out "$out" --build-dir "$build" >"$TF_TMP/s2.log" 2>&1 || say "second session failed: $(tail -5 "$TF_TMP/s2.log")"
grep -q "crashes: 1 new crash input" "$TF_TMP/s2.log" || say "the planted crash file was not imported"
python3 - "$out/crashes" <<'EOF' || say "crash note (above)"
import glob, json, os, sys
notes = glob.glob(os.path.join(sys.argv[1], "libfuzzer-*.json"))
if len(notes) != 1:
    print("  %d crash notes" % len(notes)); sys.exit(1)
n = json.load(open(notes[0]))
ok = (n["kind"] == "fuzz-crash" and n["engine"] == "libfuzzer" and n["original"] == "crash-planted"
      and "does not crash when run again" in n["reason"]
      and os.path.isfile(os.path.join(sys.argv[1], n["input"])))
if not ok:
    print("  note: %r" % n); sys.exit(1)
EOF
grep -qF "corpus    -> $out/corpus ($c1 inputs)" "$TF_TMP/s2.log" || say "session 2 did not start from the merged corpus"
grep -qF "($n1 already there)" "$TF_TMP/s2.log" || say "session 2 did not see the earlier findings"
ls "$out/findings" | comm -23 "$TF_TMP/ids1" - | grep -q . && say "session 2 lost findings"
check_clean "session 2"
python3 - "$out/fuzz-stats.json" <<'EOF' || say "fuzz-stats.json after two sessions (above)"
import json, sys
s = json.load(open(sys.argv[1]))
bad = []
if s.get("schema") != "trustfuzz-fuzz-stats" or s.get("version") != 1:
    bad.append("schema/version")
ss = s.get("sessions", [])
if [x["engine"] for x in ss] != ["libfuzzer", "libfuzzer"] or [x["end"] for x in ss] != ["time", "time"]:
    bad.append("sessions %r" % ss)
if abs(sum(x["seconds"] for x in ss) - s["elapsed_s"]) > 0.01 or sum(x["execs"] for x in ss) != s["execs"]:
    bad.append("totals do not add up")
if not all(x["execs"] > 0 for x in ss):
    bad.append("a session with no executions")
t = s.get("timeline", [])
if len(t) < 2 or any(b["s"] < a["s"] or b["distinct"] < a["distinct"] for a, b in zip(t, t[1:])):
    bad.append("timeline not growing: %r" % t)
if t and t[-1]["s"] <= ss[0]["seconds"]:
    bad.append("the timeline did not go on past the first session")
if len(s.get("first_seen", {})) != t[-1]["distinct"]:
    bad.append("first_seen has %d ids, the timeline ends at %d" % (len(s.get("first_seen", {})), t[-1]["distinct"]))
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
EOF

# 3. Stopped by a signal, twice: SIGINT as Ctrl-C sends it, then SIGTERM.
stop_session() { # stop_session SIGNAL N
	local sig=$1 n=$2 pid t0 rc
	set -m
	"$script" --time 600 --jobs 2 --out "$out" --build-dir "$build" >"$TF_TMP/s$n.log" 2>&1 &
	pid=$!
	set +m
	for _ in $(seq 1 60); do
		grep -q "execs" "$TF_TMP/s$n.log" 2>/dev/null && break
		sleep 1
	done
	sleep 4
	kill -s "$sig" "$pid"
	t0=$(date +%s)
	wait "$pid"
	rc=$?
	[ $rc -eq 0 ] || say "SIG$sig: exit $rc: $(tail -3 "$TF_TMP/s$n.log")"
	[ $(($(date +%s) - t0)) -le 120 ] || say "SIG$sig: took $(($(date +%s) - t0)) s to wrap up"
	grep -q "fuzzing ended (stopped)" "$TF_TMP/s$n.log" || say "SIG$sig: not reported as stopped"
	tail -n 1 "$out/fuzz/sessions.tsv" | grep -q $'\tstopped$' || say "SIG$sig: session not recorded as stopped"
	check_clean "SIG$sig"
}
stop_session INT 3
stop_session TERM 4
[ "$(wc -l <"$out/fuzz/sessions.tsv")" -eq 4 ] || say "expected 4 sessions, got $(wc -l <"$out/fuzz/sessions.tsv")"
"$TRUSTFUZZ" report "$out" --known "$TF_SRC/corpus/known-divergences.json" --details 3 >"$TF_TMP/report.log" 2>&1 ||
	say "trustfuzz report on the result failed: $(cat "$TF_TMP/report.log")"
grep -q "Fuzzing sessions" "$out/report/index.html" 2>/dev/null || say "the report does not show the sessions"

# 4. A directory in use.
exec 8>>"$out/.lock"
flock -n 8 || say "could not take the lock for the in-use test"
"$script" --time 5 --out "$out" --fuzzer "$build/harness/fuzz/fuzz-diff" >"$TF_TMP/busy.log" 2>&1
rc=$?
[ $rc -eq 2 ] || say "a locked directory: exit $rc, want 2"
grep -q "in use" "$TF_TMP/busy.log" || say "a locked directory: no 'in use' message"
exec 8>&-

[ $fails -eq 0 ] && echo "overnight_libfuzzer: all checks passed ($(ls "$out/findings" | wc -l) findings over 4 sessions)"
exit $((fails > 0))
