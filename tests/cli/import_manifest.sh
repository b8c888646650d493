#!/usr/bin/env bash
# Manifest directories (docs/import.md, "Manifest"), certificates made here
# with the openssl command line: `trustfuzz replay` takes a tree of case
# directories (and fixtures beside them), imports each in memory and checks
# its expected result ("accept", "reject", or a status) with the evaluators
# it names; `trustfuzz import --manifest` writes the same case as a fixture
# that `trustfuzz eval` checks; mismatches are one line each (exit 1); bad
# manifests are one line naming the manifest and field (exit 2).
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/manifest.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
PKI="$tmp/pki"
. "$TF_SRC/tests/cli/lib/pki.sh"

pki_root root "/C=US/O=Example/CN=Example Root"
pki_issue int "/C=US/O=Example/CN=Example Issuing CA" root ca
pki_issue other "/C=US/O=Example/CN=Example Other CA" root ca
pki_issue leaf "/C=US/O=Example/CN=alice" int leaf
T=$(pki_time 10)

# mkcase DIR JSON-BODY: the case directory with its certificates.
mkcase() {
	mkdir -p "$1/certs"
	cp "$PKI/root.pem" "$PKI/int.pem" "$PKI/other.pem" "$PKI/leaf.pem" "$1/certs/"
	printf '{"validation_time": "%s", %s}\n' "$T" "$2" >"$1/manifest.json"
}
c="$tmp/cases"
mkcase "$c/a-accept" '"leaf": "certs/leaf.pem", "chain": "certs/int.pem", "root": ["certs/root.pem"],
	"expect": "accept", "evaluators": ["ref", "kb", "openssl"], "id": "accept-case",
	"why": "a plain chain"'
mkcase "$c/b-kb" '"leaf": "certs/leaf.pem", "chain": ["certs/int.pem"],
	"root": ["certs/root.pem", "certs/other.pem"], "expect": "403.16", "evaluators": ["kb"]'
mkcase "$c/c-reject" '"leaf": "certs/leaf.pem", "root": "certs/root.pem", "expect": "reject",
	"purpose": "client", "send_issuer_list": false, "trust_mode": 0'
mkcase "$c/f-object" '"leaf": "certs/leaf.pem", "chain": ["certs/int.pem"],
	"root": ["certs/root.pem", "certs/other.pem"], "send_issuer_list": true,
	"expect": {"ref": "accept", "kb": "403.7", "kb+variant=any-trigger": "reject", "openssl": "200"}'
mkdir -p "$c/d-sub"
mkcase "$c/d-sub/e-none" '"leaf": "certs/leaf.pem", "root": "certs", "intermediate": "certs/int.pem"'
cp "$TF_SRC/corpus/fixtures/rfc5280/valid-chain.json" "$c/fixture.json"

out=$("$TRUSTFUZZ" replay "$c" 2>"$tmp/err"); rc=$?
[ $rc = 0 ] && [ "$out" = "6 passed, 0 failed" ] || say "replay cases: exit $rc: $out $(cat "$tmp/err")"
out=$("$TRUSTFUZZ" replay "$c/b-kb"); rc=$?
[ $rc = 0 ] && [ "$out" = "1 passed, 0 failed" ] || say "replay one case: exit $rc: $out"

# import --manifest: the same case as a fixture, expectations included.
"$TRUSTFUZZ" import --manifest "$c/a-accept" --out "$tmp/a.json" >/dev/null 2>"$tmp/err" ||
	say "import --manifest: $(cat "$tmp/err")"
grep -q '"id": "accept-case"' "$tmp/a.json" || say "manifest id"
grep -q '"why": "a plain chain"' "$tmp/a.json" || say "manifest why"
for e in ref kb openssl; do
	grep -q "\"$e\": {" "$tmp/a.json" || say "expectation for $e missing"
done
"$TRUSTFUZZ" eval "$tmp/a.json" >/dev/null; rc=$?
[ $rc = 0 ] || say "eval of the imported manifest: exit $rc"
"$TRUSTFUZZ" import --manifest "$c/c-reject" --out "$tmp/c.json" >/dev/null 2>&1 || say "import reject case"
grep -q '"expect-reject"' "$tmp/c.json" || say "reject tag"
grep -q '"expect"' "$tmp/c.json" && say "a reject case must carry no status expectation"
grep -q '"id": "manifest-c-reject"' "$tmp/c.json" || say "default id"

# A wrong expectation: one line per evaluator, exit 1.
w="$tmp/wrong"
mkcase "$w/case" '"leaf": "certs/leaf.pem", "chain": "certs/int.pem",
	"root": ["certs/root.pem", "certs/other.pem"], "expect": "accept", "evaluators": ["ref", "kb"]'
out=$("$TRUSTFUZZ" replay "$w"); rc=$?
[ $rc = 1 ] || say "wrong expectation: exit $rc"
expect="$w/case: kb: expected 200, got 403.16 (path to anchor root1 does not pass through the KB 2802568 issuer list (mixed-store: root kept root2))
0 passed, 1 failed"
[ "$out" = "$expect" ] || say "wrong expectation output:
$out"
mkcase "$w/case" '"leaf": "certs/leaf.pem", "chain": "certs/int.pem", "root": "certs/root.pem",
	"expect": "reject"'
out=$("$TRUSTFUZZ" replay "$w/case"); rc=$?
[ $rc = 1 ] && [ "$(head -1 <<<"$out")" = "$w/case: ref: expected a rejection, got 200 (valid path to anchor root1)" ] ||
	say "reject expectation: $rc $out"

# Bad manifests: one line naming the manifest and the field, exit 2.
badcase() { # name body expected-message
	local d="$tmp/bad/$1" rc
	mkcase "$d" "$2"
	"$TRUSTFUZZ" import --manifest "$d" --out "$tmp/bad.json" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc = 2 ] || say "$1: import exit $rc"
	[ "$(cat "$tmp/err")" = "trustfuzz: $3" ] || say "$1: got '$(cat "$tmp/err")', expected 'trustfuzz: $3'"
	[ ! -e "$tmp/bad.json" ] || say "$1: a fixture was written"
	"$TRUSTFUZZ" replay "$d" >/dev/null 2>"$tmp/err"; rc=$?
	[ $rc = 2 ] || say "$1: replay exit $rc"
	[ "$(cat "$tmp/err")" = "trustfuzz replay: $3" ] || say "$1: replay said '$(cat "$tmp/err")'"
}
m="manifest.json"
badcase server '"leaf": "certs/leaf.pem", "root": "certs/root.pem", "purpose": "server"' \
	"$tmp/bad/server/$m: purpose: \"server\" is not modelled (trustfuzz judges client certificates for TLS client authentication), expected \"client\""
badcase field '"leaf": "certs/leaf.pem", "root": "certs/root.pem", "expected": "accept"' \
	"$tmp/bad/field/$m: expected: unknown field, expected id, why, leaf, chain, root, intermediate, client_auth_issuers, validation_time, purpose, send_issuer_list, trust_mode, expect, evaluators"
badcase result '"leaf": "certs/leaf.pem", "root": "certs/root.pem", "expect": "ok"' \
	"$tmp/bad/result/$m: expect: unknown result, expected \"accept\", \"reject\" or an IIS status (\"200\", \"403.7\", \"403.16\", \"403.17\")"
badcase both '"leaf": "certs/leaf.pem", "root": "certs/root.pem", "expect": {"ref": "accept"},
	"evaluators": ["kb"]' \
	"$tmp/bad/both/$m: evaluators: given without one expected result, expected evaluators only with \"expect\": \"RESULT\""
badcase noroot '"leaf": "certs/leaf.pem"' \
	"$tmp/bad/noroot/$m: root: missing, expected the Root store's file(s) or directory"
badcase file '"leaf": "certs/leaf.pem", "root": "certs/missing.pem"' \
	"$tmp/bad/file/certs/missing.pem: cannot open: No such file or directory"
mkdir -p "$tmp/bad/notime"
printf '{"leaf": "x.pem", "root": "x.pem"}\n' >"$tmp/bad/notime/$m"
"$TRUSTFUZZ" import --manifest "$tmp/bad/notime" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$tmp/err")" = "trustfuzz: $tmp/bad/notime/$m: validation_time: missing, expected an RFC 3339 UTC time like \"2024-01-01T00:00:00Z\"" ] ||
	say "no time: $rc $(cat "$tmp/err")"
printf '{"leaf": \n' >"$tmp/bad/notime/$m"
"$TRUSTFUZZ" import --manifest "$tmp/bad/notime" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "^trustfuzz: $tmp/bad/notime/$m: line 2, column 0: .*, expected valid JSON$" "$tmp/err" ||
	say "broken JSON: $rc $(cat "$tmp/err")"
"$TRUSTFUZZ" import --manifest "$c/a-accept" --leaf "$PKI/leaf.pem" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] || say "--manifest with --leaf: exit $rc"

[ $fail = 0 ] && echo "import_manifest: ok"
exit $fail
