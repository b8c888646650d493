# tests/cli/lib/pki.sh — certificates made with the openssl command line,
# sourced by the import_*.sh and audit_*.sh tests (not a test itself: ctest
# runs tests/cli/*.sh only). The import path is checked against this
# independent maker: nothing here uses trustfuzz.
#
# Every certificate NAME is $PKI/NAME.pem with its key $PKI/NAME.key (P-256).
# Validity starts now; tests pass --time explicitly (pki_time +N days).

command -v openssl >/dev/null || { echo "openssl command not found"; exit 1; }
: "${PKI:?set PKI to a scratch directory}"
mkdir -p "$PKI"

cat >"$PKI/ext.cnf" <<'CNF'
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# pki_time DAYS: RFC 3339 UTC, DAYS days from now.
pki_time() {
	date -u -d "+$1 days" +%Y-%m-%dT%H:%M:%SZ
}

# pki_root NAME SUBJECT [DAYS]: a self-signed CA.
pki_root() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$PKI/$1.key" -out "$PKI/$1.pem" -subj "$2" -days "${3:-3650}" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null ||
		{ echo "pki_root $1 failed"; exit 1; }
}

# pki_issue NAME SUBJECT ISSUER SECTION [DAYS]: a certificate signed by
# ISSUER with the extensions of SECTION (ca or leaf) of ext.cnf.
pki_issue() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$PKI/$1.key" -out "$PKI/$1.csr" -subj "$2" 2>/dev/null &&
		openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$3.pem" -CAkey "$PKI/$3.key" \
			-set_serial "0x$(openssl rand -hex 8)" -days "${5:-1825}" \
			-extfile "$PKI/ext.cnf" -extensions "$4" -out "$PKI/$1.pem" 2>/dev/null ||
		{ echo "pki_issue $1 failed"; exit 1; }
}
