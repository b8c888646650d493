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

# The backend comparison table in docs/gnutls-backend.md is current: every
# row's four verdicts are what the evaluators say now on the input it names,
# and every entry of the known-divergence table is named in that section.
doc="$TF_SRC/docs/gnutls-backend.md"
section=$(awk '/^## Backend comparison/{f=1} /^## Running it/{f=0} f' "$doc")
rows=0
while IFS='|' read -r _ entry shown ref kb ossl gnu _; do
  shown=$(echo $shown)
  case "$shown" in
    seed*) set -- $shown; p=${3//[()]/}
           "$TRUSTFUZZ" gen --seed "$2" --profile "$p" --out "$tmp/tbl" > /dev/null 2>&1
           file="$tmp/tbl/gen-$p-$2.json";;
    *) file="$TF_SRC/corpus/fixtures/$shown";;
  esac
  want="| $(echo $ref) | $(echo $kb) | $(echo $ossl) | $(echo $gnu) |"
  got=$("$TRUSTFUZZ" eval "$file" --evaluator ref,kb,openssl,gnutls --json | jq -r \
    '[.[0].results[] | if .status == "200" then "200 (" + (.path | join(" > ")) + ")"
      else .status + " " + .win32_name end] | "| " + join(" | ") + " |"')
  [ "$got" = "$want" ] || say "docs comparison row$entry| $shown: now $got"
  rows=$((rows + 1))
done < <(grep '^| `' <<<"$section")
[ $rows -ge 20 ] || say "docs comparison table: only $rows rows"
for id in $(jq -r '.entries[].id' "$TF_SRC/corpus/known-divergences.json"); do
  grep -q "\`$id\`" <<<"$section" || say "docs comparison section does not name known entry $id"
done

# A short campaign with all four evaluators: runs, and finds no divergence
# involving gnutls that the known-divergence table does not explain
# (--show 0 lists every signature, new ones first, so none hides past the
# default 40 lines; stats.json must agree).
new_gnutls() { # DIR KNOWN ITERATIONS -> prints the new signatures naming gnutls
  "$TRUSTFUZZ" run --seed 5 --iterations "$3" --jobs 2 --evaluators ref,kb,openssl,gnutls \
    --known "$2" --min-steps 200 --show 0 --out "$1" > "$1.out" 2>&1 ||
    { say "campaign into $1: exit $?"; tail -5 "$1.out"; }
  grep -q ', 0 crashes' "$1.out" || say "campaign into $1: crashes: $(grep summary "$1.out")"
  grep -E '^new .*gnutls' "$1.out"
}
found=$(new_gnutls "$tmp/camp" "$TF_SRC/corpus/known-divergences.json" 400)
[ -z "$found" ] || say "campaign: new divergences involving gnutls: $found"
n=$(jq '[.signature_table[] | select(.class == "new" and (.signature | test("gnutls")))] | length' \
  "$tmp/camp/stats.json") || say "campaign: stats.json unreadable"
[ "$n" = 0 ] || say "campaign: stats.json lists $n new signatures involving gnutls"
[ "$(jq -r '.evaluators' "$tmp/camp/stats.json")" = ref,kb,openssl,gnutls ] ||
  say "campaign: stats.json evaluators: $(jq -c .evaluators "$tmp/camp/stats.json")"
# The check can fail: with an empty table the same campaign's gnutls
# divergences are all new.
printf '{"schema":"trustfuzz-known-divergences","version":1,"entries":[]}\n' > "$tmp/none.json"
[ -n "$(new_gnutls "$tmp/camp0" "$tmp/none.json" 100)" ] ||
  say "campaign with an empty known table: no new gnutls divergence reported"

exit $fail
