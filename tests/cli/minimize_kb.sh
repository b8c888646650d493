#!/usr/bin/env bash
# `trustfuzz minimize`: a padded KB 2802568 fixture shrinks to the bug, the
# output is exact and deterministic, the result replays, and every exit code
# (0 minimized, 1 nothing to minimize, 2 bad input) is what --help says.
set -u
fail=0
T="$TF_TMP"
mkdir -p "$T"
KNOWN="$TF_SRC/corpus/known-divergences.json"
check() { # check NAME EXPECTED_RC ACTUAL_RC
  if [ "$2" != "$3" ]; then echo "FAIL: $1: exit $3, expected $2"; fail=1; fi
}
same() { # same NAME EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then printf 'FAIL: %s:\n--- expected\n%s\n--- got\n%s\n' "$1" "$2" "$3"; fail=1; fi
}

# KB row 1 (Root and Sub in Root, Alice issued by Root) plus an unrelated
# PKI with its own identity, a stray certificate in Alice's chain, an
# expired stray root, extra store entries, a validation time and a knob.
cat > "$T/kb.json" <<'EOF'
{
  "schema": "trustfuzz-fixture",
  "version": 1,
  "id": "kb-padded",
  "why": "KB 2802568 row 1, padded with an unrelated PKI, stray certificates and store entries",
  "scenario": {
    "names": ["Contoso Root", "Contoso Issuing", "alice", "Fabrikam Root", "Fabrikam Issuing",
              "bob", "stray one", "nobody", "stray two"],
    "keys": [0, 1, 2, 3, 4, 5, 6, 7, 8],
    "certs": [
      {"id": "Root", "subject": "Contoso Root", "issuer": "Contoso Root", "key": 0,
       "basic_constraints": {"ca": true}},
      {"id": "Sub", "subject": "Contoso Issuing", "issuer": "Contoso Root", "key": 1,
       "signing_key": 0, "basic_constraints": {"ca": true}},
      {"id": "Alice", "subject": "alice", "issuer": "Contoso Root", "key": 2, "signing_key": 0,
       "eku": ["clientAuth"], "key_usage": ["digitalSignature"], "serial": 4242},
      {"id": "Fab Root", "subject": "Fabrikam Root", "issuer": "Fabrikam Root", "key": 3,
       "basic_constraints": {"ca": true}},
      {"id": "Fab Sub", "subject": "Fabrikam Issuing", "issuer": "Fabrikam Root", "key": 4,
       "signing_key": 3, "basic_constraints": {"ca": true, "pathlen": 2}},
      {"id": "Bob", "subject": "bob", "issuer": "Fabrikam Issuing", "key": 5, "signing_key": 4},
      {"id": "Stray 1", "subject": "stray one", "issuer": "nobody", "key": 6, "signing_key": 7},
      {"id": "Stray 2", "subject": "stray two", "issuer": "stray two", "key": 8,
       "basic_constraints": {"ca": true}, "validity": "expired"}
    ],
    "stores": {"root": ["Root", "Fab Root", "Sub"], "intermediate": ["Fab Sub", "Stray 2", "Root"]},
    "server": {"validation_time": "2024-03-01T12:00:00Z"},
    "identities": [{"leaf": "Alice", "chain": ["Stray 1"]}, {"leaf": "Bob", "chain": ["Fab Sub"]}],
    "knobs": {"max_depth": "6"}
  },
  "expect": {"ref": {"status": "200"}, "kb": {"status": "403.16"}},
  "provenance": {"origin": "hand-written", "profile": "kb", "seed": 99}
}
EOF

# 1. Minimize with the instances of the expect object (ref, kb).
out=$("$TRUSTFUZZ" minimize "$T/kb.json" --known "$KNOWN" --out "$T/min.json"); rc=$?
check "minimize" 0 $rc
why="ref says 200, kb says 403.16 (CERT_E_UNTRUSTEDROOT): trigger (non-self-issued certificate among the trusted issuers), issuer list off; known: kb2802568-untrusted-root"
same "line 1" "signature: ref~kb:200/403.16:trigger" "$(sed -n 1p <<<"$out")"
same "line 2" "id: a949bf21541f10a2 (known: kb2802568-untrusted-root)" "$(sed -n 2p <<<"$out")"
line3=$(sed -n 3p <<<"$out")
[[ "$line3" =~ ^certificates:\ 8\ -\>\ 3,\ steps\ [0-9]+\ \(accepted\ [0-9]+,\ rounds\ [0-9]+\)$ ]] ||
  { echo "FAIL: line 3: '$line3'"; fail=1; }
same "line 4" "why: $why" "$(sed -n 4p <<<"$out")"
same "line 5" "wrote $T/min.json" "$(sed -n 5p <<<"$out")"
same "lines" 5 "$(wc -l <<<"$out")"

# 2. The fixture: three certificates with their original names, the
#    verdicts as expectations (it replays), tags, provenance.
same "certs" 3 "$(grep -c '"subject":' "$T/min.json")"
for id in '"id": "Root"' '"id": "Sub"' '"id": "Alice"' '"known:kb2802568-untrusted-root"' \
          '"origin": "minimized"' '"tool": "trustfuzz ' '"seed": 99' '"profile": "kb"' \
          '"id": "div-a949bf21541f10a2"' "\"why\": \"$why\""; do
  grep -qF "$id" "$T/min.json" || { echo "FAIL: min.json lacks $id"; fail=1; }
done
"$TRUSTFUZZ" replay "$T/min.json" >/dev/null; check "replay min.json" 0 $?

# 3. Deterministic: the same input gives the same bytes; the default output
#    name replaces .json by .min.json; the table can come from the environment.
cp "$T/kb.json" "$T/again.json"
TRUSTFUZZ_KNOWN="$KNOWN" "$TRUSTFUZZ" minimize "$T/again.json" >/dev/null; check "again" 0 $?
cmp -s "$T/min.json" "$T/again.min.json" || { echo "FAIL: two runs differ"; fail=1; }

# 4. Choosing: by id, at win32 depth, with other instances.
"$TRUSTFUZZ" minimize "$T/kb.json" --known "$KNOWN" --signature a949bf21541f10a2 \
  --out "$T/byid.json" >/dev/null; check "--signature ID" 0 $?
cmp -s "$T/min.json" "$T/byid.json" || { echo "FAIL: --signature ID gave another fixture"; fail=1; }
out=$("$TRUSTFUZZ" minimize "$T/kb.json" --known "$KNOWN" --depth win32 --out "$T/w.json" | head -1)
same "win32" "signature: ref~kb:200[S_OK]/403.16[CERT_E_UNTRUSTEDROOT]:trigger" "$out"
out=$("$TRUSTFUZZ" minimize "$T/kb.json" --known "$KNOWN" -e kb,kb+variant=any-trigger \
  --out "$T/v.json" 2>&1); rc=$?
check "kb vs any-trigger" 1 $rc

# 5. Nothing to minimize: exit 1 and say why.
sed 's/"root": \["Root", "Fab Root", "Sub"\]/"root": ["Root", "Fab Root"]/' "$T/kb.json" > "$T/fixed.json"
err=$("$TRUSTFUZZ" minimize "$T/fixed.json" --known "$KNOWN" 2>&1 >/dev/null); rc=$?
check "no divergence" 1 $rc
same "no divergence message" \
  "trustfuzz minimize: $T/fixed.json: no divergence between ref,kb at depth status: nothing to minimize" "$err"
[ ! -e "$T/fixed.min.json" ] || { echo "FAIL: wrote a fixture for no divergence"; fail=1; }
err=$("$TRUSTFUZZ" minimize "$T/kb.json" --known "$KNOWN" --signature "ref~kb:200/403.7:trigger" 2>&1 >/dev/null); rc=$?
check "absent signature" 1 $rc
same "absent signature message" \
  "trustfuzz minimize: $T/kb.json: does not show signature \"ref~kb:200/403.7:trigger\"; it shows:
  a949bf21541f10a2  ref~kb:200/403.16:trigger" "$err"

# 6. Bad input and usage: exit 2 with one line naming the problem.
err=$("$TRUSTFUZZ" minimize "$T/absent.json" 2>&1 >/dev/null); rc=$?
check "missing file" 2 $rc
[[ "$err" == "trustfuzz: $T/absent.json: "* ]] || { echo "FAIL: missing file message '$err'"; fail=1; }
printf '{"schema": "trustfuzz-fixture", "version": 1}' > "$T/bad.json"
"$TRUSTFUZZ" minimize "$T/bad.json" >/dev/null 2>&1; check "bad fixture" 2 $?
err=$("$TRUSTFUZZ" minimize "$T/kb.json" --depth deep 2>&1 >/dev/null); rc=$?
check "bad depth" 2 $rc
same "bad depth message" \
  "trustfuzz minimize: --depth: \"deep\" is not status, win32 or path (see trustfuzz minimize --help)" "$err"
"$TRUSTFUZZ" minimize "$T/kb.json" --max-steps 0 >/dev/null 2>&1; check "bad max-steps" 2 $?
"$TRUSTFUZZ" minimize "$T/kb.json" "$T/kb.json" >/dev/null 2>&1; check "two files" 2 $?
"$TRUSTFUZZ" minimize >/dev/null 2>&1; check "no file" 2 $?
"$TRUSTFUZZ" minimize "$T/kb.json" -e ref,nosuch >/dev/null 2>&1; check "unknown evaluator" 2 $?
"$TRUSTFUZZ" minimize "$T/kb.json" -e ref >/dev/null 2>&1; check "one evaluator" 2 $?
printf '{"schema": "trustfuzz-known-divergences", "version": 1, "entries": 3}' > "$T/known-bad.json"
err=$("$TRUSTFUZZ" minimize "$T/kb.json" --known "$T/known-bad.json" 2>&1 >/dev/null); rc=$?
check "bad known table" 2 $rc
same "bad known table message" "trustfuzz: $T/known-bad.json: entries: expected an array" "$err"
"$TRUSTFUZZ" minimize --help | grep -q "^exit: 0 minimized and written; 1 FILE shows no divergence" ||
  { echo "FAIL: --help lacks the exit codes"; fail=1; }

# 7. A step bound says so and still writes a fixture that keeps the signature.
out=$("$TRUSTFUZZ" minimize "$T/kb.json" --known "$KNOWN" --max-steps 3 --out "$T/b.json" | sed -n 3p)
[[ "$out" == *", step bound reached" ]] || { echo "FAIL: bound line '$out'"; fail=1; }
"$TRUSTFUZZ" replay "$T/b.json" >/dev/null; check "replay bounded" 0 $?

[ $fail -eq 0 ] && echo "minimize_kb: all checks passed"
exit $fail
