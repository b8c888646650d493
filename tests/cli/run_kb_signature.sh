#!/usr/bin/env bash
# `trustfuzz run --seed 1 --time 20` (2 jobs): prints the seed first, ends
# with exit 0 and a summary, and finds the KB 2802568 signature (ref 200
# against kb 403.16 with the trigger) with a minimized fixture of at most 6
# certificates that replays to the same verdicts.
set -u
fail=0
bad() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP"
out=$TF_TMP/findings
rm -rf "$out"
"$TRUSTFUZZ" run --seed 1 --time 20 --jobs 2 --out "$out" \
  --known "$TF_SRC/corpus/known-divergences.json" >"$TF_TMP/log" 2>&1
rc=$?
[ $rc -eq 0 ] || bad "run exited $rc"
[ "$(head -1 "$TF_TMP/log")" = "seed: 1" ] || bad "first line is not 'seed: 1'"
grep -q '^summary: [0-9]* scenarios' "$TF_TMP/log" || bad "no summary line"

# The KB signature: ref~kb:200/403.16 with the trigger among its features
# (the plain "...:trigger" one, or with further features): the one with
# the fewest features whose finding is minimized is checked.
cands=$(awk -F'"' '/^      "id": /{id=$4} /^      "signature": /{print id, $4}' "$out/stats.json" |
  grep -E ' ref~kb:200/403\.16:([a-z0-9-]+\+)*trigger(\+[a-z0-9-]+)*$' |
  awk '{print gsub(/\+/, "+", $2), $1, $2}' | sort -n | awk '{print $2 "|" $3}')
[ -n "$cands" ] || bad "no ref~kb:200/403.16 signature with the trigger among the findings"
f=
for c in $cands; do
  id=${c%%|*}
  if [ -f "$out/findings/$id.json" ] && ! grep -q '"unminimized"' "$out/findings/$id.json"; then
    f=$out/findings/$id.json
    sig=${c#*|}
    break
  fi
done
if [ -n "$cands" ] && [ -z "$f" ]; then
  bad "no minimized finding for any of: $cands"
elif [ -n "$f" ]; then
  certs=$(grep -c '^        "id": ' "$f")
  [ "$certs" -ge 1 ] && [ "$certs" -le 6 ] || bad "$f: $certs certificates, expected 1..6"
  grep -A1 '^    "ref": {' "$f" | grep -q '"status": "200"' || bad "$f: ref does not expect 200"
  grep -A1 '^    "kb": {' "$f" | grep -q '"status": "403.16"' || bad "$f: kb does not expect 403.16"
  grep -q '^  "id": "div-'"$id"'",' "$f" || bad "$f: fixture id is not div-$id"
  "$TRUSTFUZZ" replay "$f" >"$TF_TMP/replay" 2>&1 || { bad "replay of $f failed"; cat "$TF_TMP/replay"; }
  grep -q "^1 passed, 0 failed" "$TF_TMP/replay" || bad "replay did not pass $f"
fi
[ $fail -eq 0 ] || { tail -20 "$TF_TMP/log"; exit 1; }
echo "run_kb_signature: $sig -> $f ($certs certificates), replays"
