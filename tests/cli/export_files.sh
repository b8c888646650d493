#!/bin/bash
# tests/cli/export_files.sh — what `trustfuzz export` writes: parseable PEM
# and DER for every certificate, store bundles in store order, each
# identity's key matching its leaf, byte-identical files on a second export,
# a reproduce.ps1 that imports every store entry and sets both Schannel
# values, and exit 2 with one clear line for bad usage and bad input.
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
mkdir -p "$TF_TMP"
fail=0
check() { # description, command...
	local what=$1
	shift
	if ! "$@"; then
		echo "FAIL: $what"
		fail=1
	fi
}
pubkey_of_cert() { openssl x509 -in "$1" -noout -pubkey; }
pubkey_of_key() { openssl pkey -in "$1" -pubout; }
count_pem() { grep -c -- '-----BEGIN CERTIFICATE-----' "$1"; }

fx="$TF_SRC/corpus/fixtures/openssl/handshake-issuer-list-sent.json"
out="$TF_TMP/a"
rm -rf "$out" "$TF_TMP/b"
check "export succeeds" "$TRUSTFUZZ" export "$fx" --out "$out"
check "export again succeeds" "$TRUSTFUZZ" export "$fx" --out "$TF_TMP/b"
for id in R0 I1 L2 X3; do
	check "certs/$id.pem parses" openssl x509 -in "$out/certs/$id.pem" -noout
	check "certs/$id.cer is the DER of certs/$id.pem" \
		cmp -s "$out/certs/$id.cer" <(openssl x509 -in "$out/certs/$id.pem" -outform DER)
	check "certs/$id.pem is byte-identical on a second export" \
		cmp -s "$out/certs/$id.pem" "$TF_TMP/b/certs/$id.pem"
done
check "subject of L2" grep -q 'CN *= *alice' <(openssl x509 -in "$out/certs/L2.pem" -noout -subject)
check "root.pem holds R0 then X3" \
	cmp -s "$out/root.pem" <(cat "$out/certs/R0.pem" "$out/certs/X3.pem")
check "intermediate.pem is empty" test ! -s "$out/intermediate.pem"
check "client-auth-issuers.pem is empty" test ! -s "$out/client-auth-issuers.pem"
check "anchors.pem is the Root store (trust mode 0)" cmp -s "$out/anchors.pem" "$out/root.pem"
check "untrusted.pem is the sent chain" cmp -s "$out/untrusted.pem" "$out/certs/I1.pem"
check "leaf.pem is L2" cmp -s "$out/leaf.pem" "$out/certs/L2.pem"
check "identity-0-chain.pem is L2 then I1" \
	cmp -s "$out/identity-0-chain.pem" <(cat "$out/certs/L2.pem" "$out/certs/I1.pem")
check "identity-0-key.pem belongs to L2" \
	cmp -s <(pubkey_of_key "$out/identity-0-key.pem") <(pubkey_of_cert "$out/certs/L2.pem")
check "server-key.pem belongs to server.pem" \
	cmp -s <(pubkey_of_key "$out/server-key.pem") <(pubkey_of_cert "$out/server.pem")
check "verify.sh is executable" test -x "$out/verify.sh"
ps1="$out/reproduce.ps1"
check "ps1 imports R0 into Root" grep -q "^Add-TfCert 'R0' 'Root'$" "$ps1"
check "ps1 imports X3 into Root" grep -q "^Add-TfCert 'X3' 'Root'$" "$ps1"
check "ps1 imports exactly two certificates" test "$(grep -c '^Add-TfCert ' "$ps1")" -eq 2
check "ps1 sets SendTrustedIssuerList 1" \
	grep -q 'Name SendTrustedIssuerList -Value 1 -Type DWord' "$ps1"
check "ps1 sets ClientAuthTrustMode 0" grep -q 'Name ClientAuthTrustMode -Value 0 -Type DWord' "$ps1"
check "ps1 warns about Ed25519" grep -q 'Ed25519' "$ps1"
check "ps1 lists the fixture's kb expectation" grep -q 'kb (fixture): 403.7' "$ps1"

# Windows-ready keys: RSA certificates, no warning; stores of another fixture.
fx2="$TF_SRC/corpus/fixtures/openssl/intermediate-store-completes-chain.json"
check "export with keys=rsa2048" "$TRUSTFUZZ" export "$fx2" --out "$TF_TMP/c" --knob keys=rsa2048
check "RSA certificate" grep -q 'rsaEncryption' <(openssl x509 -in "$TF_TMP/c/certs/R0.pem" -noout -text)
check "no Ed25519 warning" bash -c "! grep -q 'Ed25519' '$TF_TMP/c/reproduce.ps1'"
check "ps1 imports I1 into CA" grep -q "^Add-TfCert 'I1' 'CA'$" "$TF_TMP/c/reproduce.ps1"
check "verify.sh passes the Intermediate store as -untrusted" \
	grep -q -- '-untrusted untrusted.pem' "$TF_TMP/c/verify.sh"
check "the RSA export verifies" bash -c "sh '$TF_TMP/c/verify.sh' >/dev/null"

# Usage and input errors: exit 2, one line naming the problem.
expect_2() { # description, expected text, args...
	local what=$1 text=$2
	shift 2
	local msg rc
	msg=$("$TRUSTFUZZ" export "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q -- "$text" <<<"$msg"; then
		echo "FAIL: $what: exit $rc, message: $msg"
		fail=1
	fi
}
expect_2 "missing --out" "--out DIR is required" "$fx"
expect_2 "no file" "exactly one fixture" --out "$TF_TMP/d"
expect_2 "not an openssl instance" "give an openssl instance" "$fx" --out "$TF_TMP/d" -e ref
expect_2 "unknown knob" "--knob" "$fx" --out "$TF_TMP/d" --knob nope=1
expect_2 "missing fixture" "missing.json" "$TF_TMP/missing.json" --out "$TF_TMP/d"
sed 's/"R0"/"R\/0"/g' "$fx" >"$TF_TMP/badid.json"
expect_2 "id unusable as a file name" 'certs\[0\].id "R/0"' "$TF_TMP/badid.json" --out "$TF_TMP/d"
check "--help exits 0" "$TRUSTFUZZ" export --help >/dev/null
exit $fail
