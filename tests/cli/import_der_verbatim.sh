#!/usr/bin/env bash
# The OpenSSL backend judges an imported certificate's own DER, not a
# re-rendering of the model (issue 9, docs/import.md "Mapping"). Made here
# with the openssl command line: a root with a critical nameConstraints
# extension (email subtree .example.com) and a leaf whose subjectAltName is
# outside it. The model has no name constraints, so ref and kb accept; only
# a backend holding the real bytes can see the violation — the openssl
# instance must report X509_V_ERR_PERMITTED_VIOLATION, as `openssl verify`
# does on the same files. And `trustfuzz export` (the backend's renderer),
# even with keys=rsa2048, writes each certificate byte for byte as imported.
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/derverbatim.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
PKI="$tmp/pki"
. "$TF_SRC/tests/cli/lib/pki.sh"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$PKI/nc.key" -out "$PKI/nc.pem" -subj "/CN=Constrained Root" -days 3650 \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-addext "nameConstraints=critical,permitted;email:.example.com" 2>/dev/null ||
	{ echo "cannot make the constrained root"; exit 1; }
cat >>"$PKI/ext.cnf" <<'CNF'
[outside]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = email:alice@other.test
[inside]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = email:bob@mail.example.com
CNF
pki_issue out "/CN=alice" nc outside
pki_issue in "/CN=bob" nc inside
T=$(pki_time 10)
epoch=$(date -u -d "$T" +%s)

# The independent judge: openssl verify on the same files.
openssl verify -attime "$epoch" -purpose sslclient -CAfile "$PKI/nc.pem" "$PKI/out.pem" 2>&1 |
	grep -q "permitted subtree violation" || say "openssl verify does not see the violation"
openssl verify -attime "$epoch" -purpose sslclient -CAfile "$PKI/nc.pem" "$PKI/in.pem" >/dev/null 2>&1 ||
	say "openssl verify rejects the leaf inside the subtree"

row() { awk -v e="$2" '$1 == e' "$1"; }
for leaf in out in; do
	"$TRUSTFUZZ" import --leaf "$PKI/$leaf.pem" --root "$PKI/nc.pem" --time "$T" \
		--out "$tmp/$leaf.json" >/dev/null 2>"$tmp/err" || say "import $leaf: $(cat "$tmp/err")"
	"$TRUSTFUZZ" eval --evaluator ref,kb,openssl "$tmp/$leaf.json" \
		>"$tmp/$leaf.eval" 2>&1
	for e in ref kb; do
		[ "$(row "$tmp/$leaf.eval" $e | awk '{print $2}')" = 200 ] ||
			say "$leaf: $e: $(row "$tmp/$leaf.eval" $e)"
	done
done
got=$(row "$tmp/out.eval" openssl)
echo "$got" | grep -q "^ *openssl *403.16 .*X509_V_ERR_PERMITTED_VIOLATION" ||
	say "openssl on the leaf outside the subtree: $got"
got=$(row "$tmp/in.eval" openssl)
echo "$got" | grep -q "^ *openssl *200 " || say "openssl on the leaf inside the subtree: $got"

# The renderer hands over the imported bytes, whatever the key knob says.
"$TRUSTFUZZ" export "$tmp/out.json" --out "$tmp/export" --knob keys=rsa2048 >/dev/null 2>"$tmp/err" ||
	say "export: $(cat "$tmp/err")"
for pair in leaf:out root1:nc; do
	id=${pair%%:*} file=${pair#*:}
	openssl x509 -in "$PKI/$file.pem" -outform DER -out "$tmp/$file.der"
	cmp -s "$tmp/$file.der" "$tmp/export/certs/$id.cer" || say "exported $id.cer differs from $file.pem"
done

[ $fail = 0 ] && echo "import_der_verbatim: ok"
exit $fail
