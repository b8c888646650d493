#!/usr/bin/env bash
# `trustfuzz eval`: the side-by-side table, --json, expectation checks with
# their diff lines and exit codes, --depth, --knob, instance specs, and the
# usage errors.
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/eval.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
kb="$TF_SRC/corpus/fixtures/kb2802568"
rfc="$TF_SRC/corpus/fixtures/rfc5280"

# The table: a header, one row per instance, HRESULT in hex and decimal.
out=$("$TRUSTFUZZ" eval "$kb/scenario1-no-list.json" --evaluator ref,kb); rc=$?
[ $rc = 0 ] || say "eval scenario1: exit $rc"
echo "$out" | head -1 | grep -q "scenario1-no-list.json (scenario1-no-list)$" || say "table title: $out"
echo "$out" | sed -n 2p | grep -Eq '^  evaluator +status +win32 +identity +path +reason$' || say "table header: $out"
echo "$out" | grep -Eq '^  ref +200 +0x00000000 \(0\) +0 \(L2\) +L2 > I1 > R0 +valid path to anchor R0$' ||
  say "ref row: $out"
echo "$out" | grep -Eq '^  kb +403\.16 +0x800B0109 \(2148204809\) +0 \(L2\) +L2 > I1 > R0 +path to anchor R0 does not pass through the KB 2802568 issuer list' ||
  say "kb row: $out"
[ "$(echo "$out" | wc -l)" = 4 ] || say "expected 4 lines: $out"

# Default evaluator list is every built-in: ref and kb at least.
out=$("$TRUSTFUZZ" eval "$kb/scenario2-list-sent.json")
echo "$out" | grep -Eq '^  kb +403\.7 +0x00000000 \(0\) +- +- +no identity offered' || say "default list, kb row: $out"

# --json: the same fields.
out=$("$TRUSTFUZZ" eval "$kb/scenario1-no-list.json" -e kb --json); rc=$?
[ $rc = 0 ] || say "--json: exit $rc"
for want in '"evaluator": "kb"' '"status": "403.16"' '"win32": "0x800B0109"' \
            '"win32_decimal": 2148204809' '"win32_name": "CERT_E_UNTRUSTEDROOT"' \
            '"identity": 0' '"identity_leaf": "L2"' '"mismatches": \[\]'; do
  echo "$out" | grep -q "$want" || say "--json lacks $want: $out"
done
[ "$(echo "$out" | head -1)" = "[" ] && [ "$(echo "$out" | tail -1)" = "]" ] || say "--json is not one array"

# A wrong expectation: exit 1 and a diff line naming file, instance, field.
sed 's/"status": "403.16"/"status": "200"/' "$kb/scenario1-no-list.json" > "$tmp/wrong.json"
out=$("$TRUSTFUZZ" eval "$tmp/wrong.json" -e ref,kb); rc=$?
[ $rc = 1 ] || say "mismatch: exit $rc"
echo "$out" | grep -qx "$tmp/wrong.json: kb: status: expected 200, got 403.16 (path to anchor R0 does not pass through the KB 2802568 issuer list (mixed-store: root kept X4))" ||
  say "mismatch line: $out"
out=$("$TRUSTFUZZ" eval "$tmp/wrong.json" -e kb --json); rc=$?
[ $rc = 1 ] || say "mismatch --json: exit $rc"
echo "$out" | grep -q '"mismatches": \[$' || say "--json mismatches: $out"
# Not run, not compared.
"$TRUSTFUZZ" eval "$tmp/wrong.json" -e ref >/dev/null || say "expectation of an instance not run was compared"

# --depth limits the compared fields.
sed '0,/"win32": "0x800B0109"/s//"win32": "0x800B010A"/' "$kb/scenario1-no-list.json" > "$tmp/hr.json"
out=$("$TRUSTFUZZ" eval "$tmp/hr.json" -e kb); rc=$?
[ $rc = 1 ] || say "win32 mismatch: exit $rc"
echo "$out" | grep -qx "$tmp/hr.json: kb: win32: expected 0x800B010A (2148204810), got 0x800B0109 (2148204809)" ||
  say "win32 mismatch line: $out"
"$TRUSTFUZZ" eval "$tmp/hr.json" -e kb --depth status >/dev/null || say "--depth status still compares win32"
"$TRUSTFUZZ" eval "$tmp/hr.json" -e kb --depth win32 >/dev/null && say "--depth win32 ignores win32"

# --knob applies to the scenario before the instance overrides.
out=$("$TRUSTFUZZ" eval "$rfc/non-self-signed-anchor.json" -e ref --knob anchors=self-signed-only); rc=$?
[ $rc = 1 ] || say "--knob anchors: exit $rc"
echo "$out" | grep -Eq '^  ref +403\.16 +0x800B010A' || say "--knob anchors row: $out"
out=$("$TRUSTFUZZ" eval "$rfc/non-self-signed-anchor.json" -e ref+anchors=rfc5280 --knob anchors=self-signed-only)
echo "$out" | grep -Eq '^  ref\+anchors=rfc5280 +200 ' || say "instance override after --knob: $out"
# "kb+kb.variant=any-trigger" is the fixture's "kb+variant=any-trigger".
sed '/"kb+variant=any-trigger"/,/"status"/s/"403.16"/"200"/' "$kb/client-through-the-intermediate.json" > "$tmp/canon.json"
out=$("$TRUSTFUZZ" eval "$tmp/canon.json" -e kb+kb.variant=any-trigger); rc=$?
[ $rc = 1 ] || say "canonical instance compared: exit $rc"
echo "$out" | grep -Eq '^  kb\+variant=any-trigger +403\.16 ' || say "canonical instance name: $out"
echo "$out" | grep -q "^$tmp/canon.json: kb+variant=any-trigger: status: expected 200, got 403.16" ||
  say "canonical instance diff: $out"

# Several files: one table each, the worst exit code.
out=$("$TRUSTFUZZ" eval "$rfc/valid-chain.json" "$tmp/wrong.json" -e kb); rc=$?
[ $rc = 1 ] || say "two files: exit $rc"
[ "$(echo "$out" | grep -c '^  kb ')" = 2 ] || say "two files, two kb rows: $out"

# Usage and input errors: exit 2, one line naming the problem.
err=$("$TRUSTFUZZ" eval 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q "no fixture given" || say "no file: $rc $err"
err=$("$TRUSTFUZZ" eval "$rfc/valid-chain.json" -e nope 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q 'unknown evaluator "nope"' || say "bad evaluator: $rc $err"
err=$("$TRUSTFUZZ" eval "$rfc/valid-chain.json" -e kb+variant=sideways 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q 'unknown value "sideways"' || say "bad knob value: $rc $err"
err=$("$TRUSTFUZZ" eval "$rfc/valid-chain.json" --knob bogus=1 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q 'unknown knob "bogus"' || say "bad --knob: $rc $err"
err=$("$TRUSTFUZZ" eval "$rfc/valid-chain.json" --depth deep 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q 'expected status, win32 or path' || say "bad --depth: $rc $err"
err=$("$TRUSTFUZZ" eval "$tmp/missing.json" 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q "$tmp/missing.json" || say "missing file: $rc $err"
echo '{"schema": "trustfuzz-fixture", "version": 1}' > "$tmp/bad.json"
err=$("$TRUSTFUZZ" eval "$tmp/bad.json" 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q "$tmp/bad.json: id: missing" || say "bad fixture: $rc $err"
"$TRUSTFUZZ" eval --help | grep -q '^usage: trustfuzz eval FILE' || say "--help"

exit $fail
