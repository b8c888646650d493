#!/usr/bin/env bash
# The GnuTLS backend through the CLI, with no special case anywhere: it is
# one of `--evaluator all`, takes instance knobs and --knob like the others,
# refuses knob bits it does not accept with exit 2, judges its fixtures as
# they expect, and runs in a short campaign with the other three evaluators.
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/gnutls.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fx="$TF_SRC/corpus/fixtures/gnutls"

# `all` lists gnutls, and the JSON form names it like any evaluator.
"$TRUSTFUZZ" eval "$fx/kb-row1.json" --evaluator all --json > "$tmp/all.json" || say "eval all: exit $?"
grep -q '"evaluator": "gnutls"' "$tmp/all.json" || say "eval all: no gnutls result"

# Verdict, HRESULT, path and the raw status word in the reason.
out=$("$TRUSTFUZZ" eval "$fx/trusted-cert-mid-chain.json" --evaluator gnutls) || say "eval gnutls: exit $?"
echo "$out" | grep -q 'gnutls  *403.16  *0x800B010A (2148204810)  *0 (L6)  *L6 > I5 > I4 > I3 > I2  *GnuTLS status 0x42 INVALID|SIGNER_NOT_FOUND' ||
  say "eval gnutls on trusted-cert-mid-chain: $out"

# Knob flags: as an instance override and as --knob; the anchor's validity.
exp="$fx/first-failure-reported.json"
"$TRUSTFUZZ" eval "$exp" --evaluator gnutls | grep -q 'gnutls  *403.17' || say "expired CA: not 403.17"
"$TRUSTFUZZ" eval "$exp" --evaluator gnutls+flags=0x40 | grep -q 'gnutls+flags=0x40  *403.16  *0x80096019' ||
  say "flags=0x40 (no time checks): the not-a-CA failure should show"
"$TRUSTFUZZ" eval "$exp" --evaluator gnutls --knob gnutls.flags=0x41 | grep -q 'gnutls  *200 ' ||
  say "--knob gnutls.flags=0x41 (no time, no CA checks): expected 200"

# A bit the backend does not accept: one line naming it, exit 2.
"$TRUSTFUZZ" eval "$exp" --evaluator gnutls+flags=0x2 > /dev/null 2> "$tmp/err"; rc=$?
[ $rc = 2 ] || say "flags=0x2: exit $rc, expected 2"
[ "$(wc -l < "$tmp/err")" = 1 ] && grep -q 'gnutls.flags: bits 0x2 are not accepted' "$tmp/err" ||
  say "flags=0x2: message '$(cat "$tmp/err")'"

# Every GnuTLS fixture replays to its expectations (gnutls, ref, openssl).
"$TRUSTFUZZ" replay "$fx" > "$tmp/replay" 2>&1 || { say "replay gnutls fixtures"; cat "$tmp/replay"; }

# A short campaign with all four evaluators: runs, and finds no divergence
# involving gnutls that the known-divergence table does not explain.
"$TRUSTFUZZ" run --seed 5 --iterations 400 --jobs 2 --evaluators ref,kb,openssl,gnutls \
  --known "$TF_SRC/corpus/known-divergences.json" --min-steps 200 --out "$tmp/camp" \
  > "$tmp/run.out" 2>&1 || { say "campaign: exit $?"; tail -5 "$tmp/run.out"; }
grep -q '0 crashes' "$tmp/run.out" || say "campaign: crashes: $(grep summary "$tmp/run.out")"
if grep -E '^new .*gnutls' "$tmp/run.out"; then say "campaign: new divergences involving gnutls"; fi

exit $fail
