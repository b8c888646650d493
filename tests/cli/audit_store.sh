#!/usr/bin/env bash
# `trustfuzz audit` on stores made here with the openssl command line: a
# clean Root exits 0; an intermediate in Root is the trigger (exit 1, the
# file named, the Windows behaviour and both fixes given); the workaround
# (Intermediate store) clears it; an expired root and a duplicate are
# warnings (exit 0); a self-issued but not self-signed certificate is a
# trigger only under --trigger signature; a Client Authentication Issuers
# store mixing both kinds is a trigger, and while that store is the list's
# source an intermediate in Root is only a warning; over 16 KB of roots is a trigger
# naming the entries that fall off, in text and JSON.
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/audit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
PKI="$tmp/pki"
. "$TF_SRC/tests/cli/lib/pki.sh"

pki_root root "/C=US/O=Example/CN=Example Root"
pki_root root2 "/C=US/O=Example/CN=Example Root 2"
pki_issue int "/C=US/O=Example/CN=Example Issuing CA" root ca
pki_root old "/C=US/O=Example/CN=Old Root" 1
# Self-issued, signed by another key: the root's name, root2's signature.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/cross.key" 2>/dev/null
openssl pkey -in "$PKI/cross.key" -pubout -out "$PKI/cross.pub" 2>/dev/null
openssl x509 -new -subj "/C=US/O=Example/CN=Example Cross" -key "$PKI/root2.key" \
	-force_pubkey "$PKI/cross.pub" -days 365 -out "$PKI/cross.pem" 2>/dev/null ||
	{ echo "cannot make the cross certificate"; exit 1; }
T=$(pki_time 10)

audit() { "$TRUSTFUZZ" audit --time "$T" "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }

# Clean.
rc=$(audit --root "$PKI/root.pem" --root "$PKI/root2.pem")
[ "$rc" = 0 ] || say "clean: exit $rc: $(cat "$tmp/out" "$tmp/err")"
grep -qx "result: clean: no trigger (0 trigger, 0 warning, 0 info)" "$tmp/out" || say "clean result: $(tail -1 "$tmp/out")"
grep -qx "trusted issuer list: root, 2 entries, [0-9]* bytes (limit 16384)" "$tmp/out" || say "clean list line"

# The trigger: an intermediate in Root.
rc=$(audit --root "$PKI/root.pem" --root "$PKI/int.pem")
[ "$rc" = 1 ] || say "trigger: exit $rc"
grep -qx "\[trigger\] not-self-issued: $PKI/int.pem: CN=Example Issuing CA,O=Example,C=US" "$tmp/out" ||
	say "trigger line: $(cat "$tmp/out")"
grep -q "in Root but not self-issued (issuer CN=Example Root,O=Example,C=US)" "$tmp/out" || say "trigger what"
grep -q "403.16, sc-win32-status 2148204809 (0x800B0109 CERT_E_UNTRUSTEDROOT)" "$tmp/out" || say "trigger windows"
grep -q "move it to the Intermediate Certification Authorities store" "$tmp/out" || say "fix: move"
grep -q "ClientAuthTrustMode=2" "$tmp/out" || say "fix: mode 2"
fp=$(openssl x509 -in "$PKI/int.pem" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
grep -qx "  thumbprint: $fp" "$tmp/out" || say "thumbprint $fp"
grep -qx "result: trigger present: client authentication will fail for some clients (1 trigger, 0 warning, 0 info)" "$tmp/out" || say "trigger result"

# The workaround clears it.
rc=$(audit --root "$PKI/root.pem" --intermediate "$PKI/int.pem")
[ "$rc" = 0 ] || say "workaround: exit $rc: $(cat "$tmp/out")"

# Expired root and a duplicate: warnings, exit 0.
rc=$(audit --root "$PKI/root.pem" --root "$PKI/old.pem" --root "$PKI/root.pem")
[ "$rc" = 0 ] || say "warnings: exit $rc"
grep -qx "\[warning\] expired: $PKI/old.pem: CN=Old Root,O=Example,C=US" "$tmp/out" || say "expired line: $(cat "$tmp/out")"
grep -qx "\[warning\] duplicate: $PKI/root.pem: CN=Example Root,O=Example,C=US" "$tmp/out" || say "duplicate line"
grep -q "the certificate of $PKI/root.pem again, in root" "$tmp/out" || say "duplicate what"
grep -qx "trusted issuer list: root, 2 entries, [0-9]* bytes (limit 16384)" "$tmp/out" || say "duplicate counted once"

# Self-issued but not self-signed: a warning by name, a trigger by signature.
rc=$(audit --root "$PKI/root.pem" --root "$PKI/cross.pem")
[ "$rc" = 0 ] || say "cross by name: exit $rc: $(cat "$tmp/out")"
grep -q "^\[warning\] not-self-signed: $PKI/cross.pem" "$tmp/out" || say "cross warning: $(cat "$tmp/out")"
rc=$(audit --root "$PKI/root.pem" --root "$PKI/cross.pem" --trigger signature)
[ "$rc" = 1 ] || say "cross by signature: exit $rc"
grep -q "^\[trigger\] not-self-signed: $PKI/cross.pem" "$tmp/out" || say "cross trigger"

# Client Authentication Issuers mixing a root and an intermediate.
rc=$(audit --root "$PKI/root.pem" --client-auth-issuers "$PKI/root2.pem" --client-auth-issuers "$PKI/int.pem")
[ "$rc" = 1 ] || say "mixed CAI: exit $rc"
grep -q "^\[trigger\] mixed-source: client_auth_issuers" "$tmp/out" || say "mixed-source line"
grep -q "^\[info\] cai-overrides: client_auth_issuers" "$tmp/out" || say "cai-overrides line"

# Client Authentication Issuers of roots only: it is the list's source, so an
# intermediate in Root is a warning saying when it would become the trigger.
rc=$(audit --root "$PKI/root.pem" --root "$PKI/int.pem" --client-auth-issuers "$PKI/root.pem")
[ "$rc" = 0 ] || say "intermediate in Root, CAI the source: exit $rc: $(cat "$tmp/out")"
grep -qx "\[warning\] not-self-issued: $PKI/int.pem: CN=Example Issuing CA,O=Example,C=US" "$tmp/out" ||
	say "not-self-issued under CAI: $(cat "$tmp/out")"
grep -q "not a trigger now: the Client Authentication Issuers store holds certificates" "$tmp/out" ||
	say "not-self-issued under CAI: windows text"

# Over 16 KB: many roots (one key, long names), in a directory.
key="$tmp/k.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$key" 2>/dev/null
mkdir -p "$tmp/store"
seq -w 1 130 | xargs -P 4 -I{} openssl req -x509 -key "$key" -days 365 -out "$tmp/store/r{}.pem" \
	-subj "/C=US/O=Example Trust Services Incorporated/OU=Certification Authorities Division/CN=Example Root CA {}" \
	-addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
[ "$(ls "$tmp/store" | wc -l)" = 130 ] || say "made $(ls "$tmp/store" | wc -l) roots"
rc=$(audit --root "$tmp/store")
[ "$rc" = 1 ] || say "16 KB: exit $rc: $(tail -3 "$tmp/out")"
grep -q "^\[trigger\] list-over-limit: root" "$tmp/out" || say "list-over-limit line"
first=$(grep -m1 "^  falls off: " "$tmp/out" | sed 's/^  falls off: //; s/ (.*//')
nfall=$(grep -c "^  falls off: " "$tmp/out")
# Every name here has the same length, so the cut is at floor(16384 / entry).
entry=$("$TRUSTFUZZ" audit --time "$T" --root "$tmp/store/r001.pem" --json |
	awk -F': ' '/"bytes"/ { gsub(/,/, "", $2); print $2; exit }')
keep=$((16384 / entry))
[ "$first" = "$tmp/store/r$(printf %03d $((keep + 1))).pem" ] || say "first to fall off: $first (entry $entry, keep $keep)"
[ "$nfall" = $((130 - keep)) ] || say "$nfall fall off, expected $((130 - keep))"
"$TRUSTFUZZ" audit --time "$T" --root "$tmp/store" --json >"$tmp/json" 2>/dev/null; rc=$?
[ $rc = 1 ] || say "json: exit $rc"
grep -q '"trigger": true' "$tmp/json" || say "json trigger"
grep -q "\"kept\": $keep," "$tmp/json" || say "json kept $keep"
[ "$(grep -c '"file": ' "$tmp/json")" -ge $((130 - keep)) ] || say "json dropped list"
# A larger limit: the same store is clean.
rc=$(audit --root "$tmp/store" --limit 65536)
[ "$rc" = 0 ] || say "64 KB limit: exit $rc"

# Usage: --root is required; one line, exit 2.
"$TRUSTFUZZ" audit --time "$T" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] || say "no --root: $rc $(cat "$tmp/err")"
"$TRUSTFUZZ" audit --root "$PKI/root.pem" --trigger both >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "trigger both: expected name or signature" "$tmp/err" || say "bad --trigger"

[ $fail = 0 ] && echo "audit_store: ok"
exit $fail
