#!/usr/bin/env bash
# `trustfuzz import` on certificates made here with the openssl command line,
# then `trustfuzz eval`: a real root / intermediate / leaf is accepted by
# ref, kb and openssl; another intermediate put in Root makes the KB model
# answer 403.16 (0x800B0109) — 403.7 with the issuer list sent — while ref
# and openssl accept; an intermediate the client chains through may sit in
# Root (the KB model's prediction); the workaround (Intermediate store)
# clears it; a Client Authentication Issuers store is the list's source; PEM bundles, DER files and directories all import; the
# fixture round-trips through show and a second write.
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/import.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
PKI="$tmp/pki"
. "$TF_SRC/tests/cli/lib/pki.sh"

pki_root root "/C=US/O=Example/CN=Example Root"
pki_issue int "/C=US/O=Example/CN=Example Issuing CA" root ca
pki_issue other "/C=US/O=Example/CN=Example Other CA" root ca
pki_issue leaf "/C=US/O=Example/CN=alice" int leaf
T=$(pki_time 10)

# status (and HRESULT) of instance $2 in `trustfuzz eval` of fixture $1.
status() { "$TRUSTFUZZ" eval --evaluator "$2" "$1" | awk -v e="$2" '$1 == e { print $2 }'; }
win32() { "$TRUSTFUZZ" eval --evaluator "$2" "$1" | awk -v e="$2" '$1 == e { print $3 }'; }
expect_all() { # fixture ref kb openssl
	local f=$1 got
	got="$(status "$f" ref) $(status "$f" kb) $(status "$f" openssl)"
	[ "$got" = "$2 $3 $4" ] || say "$f: ref kb openssl = $got, expected $2 $3 $4"
}

imp() { # out args...
	local out=$1
	shift
	"$TRUSTFUZZ" import "$@" --time "$T" --out "$out" >"$tmp/imp.out" 2>"$tmp/imp.err" ||
		say "import $*: exit $?: $(cat "$tmp/imp.err")"
}

# 1. The plain chain: everyone accepts.
imp "$tmp/ok.json" --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem"
grep -qx "$tmp/ok.json: 3 certificates, 3 names, 3 keys" "$tmp/imp.out" || say "summary: $(cat "$tmp/imp.out")"
expect_all "$tmp/ok.json" 200 200 200
"$TRUSTFUZZ" eval "$tmp/ok.json" | grep -q "leaf > chain1 > root1" || say "path not leaf > chain1 > root1"
grep -q '"label": "CN=alice,O=Example,C=US"' "$tmp/ok.json" || say "leaf DN label"
"$TRUSTFUZZ" show "$tmp/ok.json" >/dev/null || say "show of an imported fixture"

# 2. KB 2802568: another intermediate in Root, no issuer list sent.
imp "$tmp/kb.json" --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem" --root "$PKI/other.pem"
expect_all "$tmp/kb.json" 200 403.16 200
[ "$(win32 "$tmp/kb.json" kb)" = 0x800B0109 ] || say "kb HRESULT $(win32 "$tmp/kb.json" kb)"
# ... and with the issuer list sent: the client finds no issuer, sends nothing.
imp "$tmp/kb7.json" --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem" \
	--root "$PKI/other.pem" --send-issuer-list
[ "$(status "$tmp/kb7.json" kb)" = 403.7 ] || say "kb with the list sent: $(status "$tmp/kb7.json" kb)"
[ "$(status "$tmp/kb7.json" ref)" = 200 ] || say "ref with the list sent: $(status "$tmp/kb7.json" ref)"
# ... the workaround: the intermediate moves to the Intermediate store.
imp "$tmp/fixed.json" --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem" \
	--intermediate "$PKI/other.pem"
expect_all "$tmp/fixed.json" 200 200 200
# ... Exclusive CA Trust (mode 2) also accepts with it in Root.
imp "$tmp/mode2.json" --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem" \
	--root "$PKI/other.pem" --trust-mode 2
[ "$(status "$tmp/mode2.json" kb)" = 200 ] || say "kb mode 2: $(status "$tmp/mode2.json" kb)"
# ... the KB model's prediction: the client's own intermediate in Root passes.
imp "$tmp/through.json" --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem" --root "$PKI/int.pem"
[ "$(status "$tmp/through.json" kb)" = 200 ] || say "kb through the intermediate: $(status "$tmp/through.json" kb)"

# ... the Client Authentication Issuers store, when it holds certificates, is
# the list's source: mixing the root and another CA there is the trigger
# (Root itself clean); the root alone there is not.
imp "$tmp/cai.json" --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem" \
	--client-auth-issuers "$PKI/root.pem" --client-auth-issuers "$PKI/other.pem"
expect_all "$tmp/cai.json" 200 403.16 200
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["scenario"]["stores"]; sys.exit(s.get("client_auth_issuers") != ["root1", "cai1"])' \
	"$tmp/cai.json" || say "client_auth_issuers store: $(grep -A3 client_auth_issuers "$tmp/cai.json")"
imp "$tmp/cai-clean.json" --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem" \
	--client-auth-issuers "$PKI/root.pem"
expect_all "$tmp/cai-clean.json" 200 200 200

# 3. Input forms: a fullchain bundle, DER files, directories.
cat "$PKI/leaf.pem" "$PKI/int.pem" >"$tmp/fullchain.pem"
mkdir -p "$tmp/roots"
openssl x509 -in "$PKI/root.pem" -outform DER -out "$tmp/roots/a-root.der"
cp "$PKI/other.pem" "$tmp/roots/b-other.crt"
echo "not a certificate" >"$tmp/roots/readme.txt"
imp "$tmp/forms.json" --leaf "$tmp/fullchain.pem" --root "$tmp/roots"
expect_all "$tmp/forms.json" 200 403.16 200
grep -q '"id": "chain1"' "$tmp/forms.json" || say "the bundle's second certificate is chain1"
"$TRUSTFUZZ" eval "$tmp/forms.json" | grep -q "leaf > chain1 > root1" || say "forms path"
cmp -s <(openssl x509 -in "$PKI/root.pem" -outform DER) "$tmp/roots/a-root.der" || say "DER conversion"

# 4. The fixture is canonical: written again, identical bytes; stdout form
# equals the file.
"$TRUSTFUZZ" import --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem" \
	--time "$T" --id import-leaf >"$tmp/stdout.json" 2>/dev/null || say "import to stdout"
cmp -s "$tmp/stdout.json" "$tmp/ok.json" || say "stdout and --out differ"

# 5. Without --time the current time is used and printed on stderr.
"$TRUSTFUZZ" import --leaf "$PKI/leaf.pem" --chain "$PKI/int.pem" --root "$PKI/root.pem" \
	--out "$tmp/now.json" >/dev/null 2>"$tmp/now.err" || say "import without --time"
grep -Eq '^trustfuzz import: validation time [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z \(now; --time sets it\)$' \
	"$tmp/now.err" || say "time line: $(cat "$tmp/now.err")"

# 6. Usage errors: one line, exit 2.
"$TRUSTFUZZ" import --root "$PKI/root.pem" >/dev/null 2>"$tmp/u.err"; rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/u.err")" = 1 ] || say "no --leaf: $rc $(cat "$tmp/u.err")"
"$TRUSTFUZZ" import --leaf "$PKI/leaf.pem" --root "$PKI/root.pem" --trust-mode 3 >/dev/null 2>"$tmp/u.err"; rc=$?
[ $rc = 2 ] && grep -q "trust-mode 3: expected 0, 1 or 2" "$tmp/u.err" || say "bad mode: $rc $(cat "$tmp/u.err")"
"$TRUSTFUZZ" import --leaf "$PKI/leaf.pem" --root "$PKI/root.pem" --time yesterday >/dev/null 2>"$tmp/u.err"; rc=$?
[ $rc = 2 ] && grep -q -- "--time yesterday: expected RFC 3339" "$tmp/u.err" || say "bad time: $rc $(cat "$tmp/u.err")"

[ $fail = 0 ] && echo "import_eval: ok"
exit $fail
