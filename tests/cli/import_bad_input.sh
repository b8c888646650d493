#!/usr/bin/env bash
# Bad input to `trustfuzz import` and `trustfuzz audit`: a truncated PEM, a
# PEM holding no certificate (a CSR, a key), a non-certificate block after a
# good one, a DER that does not parse, text, an empty file, an unreadable
# (missing) file, a directory without certificate files. Each gives exactly
# one line naming the file and the problem, exit 2, and no output file.
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/importbad.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
PKI="$tmp/pki"
. "$TF_SRC/tests/cli/lib/pki.sh"

pki_root root "/CN=Root"
pki_issue leaf "/CN=leaf" root leaf
b="$tmp/bad"
mkdir -p "$b" "$b/emptydir"
head -c 300 "$PKI/root.pem" >"$b/truncated.pem"
cp "$PKI/leaf.csr" "$b/request.pem"
openssl pkey -in "$PKI/leaf.key" -out "$b/key.pem" 2>/dev/null
cat "$PKI/leaf.pem" "$b/key.pem" >"$b/cert-and-key.pem"
cat "$PKI/root.pem" >"$b/two.pem"
head -c 400 "$PKI/root.pem" >>"$b/two.pem"
openssl x509 -in "$PKI/root.pem" -outform DER | head -c 200 >"$b/cut.der"
printf 'just some text\n' >"$b/notes.pem"
: >"$b/empty.pem"
sed 's/^M/!/' "$PKI/root.pem" >"$b/garbled.pem"
printf -- '-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n' >"$b/notcert.pem"
printf -- '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n' >"$b/emptyblock.pem"

# case: FILE | expected message after "trustfuzz: FILE: "
cases=(
	"truncated.pem|PEM block 1 is truncated or corrupt (bad end line)"
	"request.pem|PEM block 1 is \"CERTIFICATE REQUEST\", expected CERTIFICATE"
	"key.pem|PEM block 1 is \"PRIVATE KEY\", expected CERTIFICATE"
	"cert-and-key.pem|PEM block 2 is \"PRIVATE KEY\", expected CERTIFICATE"
	"two.pem|PEM block 2 is truncated or corrupt (bad end line)"
	"garbled.pem|PEM block 1 is truncated or corrupt (bad base64 decode)"
	"notcert.pem|PEM block 1 does not parse as a DER X.509 certificate"
	"emptyblock.pem|PEM block 1 is truncated or corrupt (empty block)"
	"cut.der|DER does not parse as one X.509 certificate"
	"notes.pem|no certificate, expected PEM CERTIFICATE blocks or one DER certificate"
	"empty.pem|empty file, expected PEM or DER certificates"
	"missing.pem|cannot open: No such file or directory"
	"emptydir|no certificate file (*.pem, *.crt, *.cer, *.der) in the directory"
)

# run NAME EXPECTED-LINE cmd...: exit 2, exactly that one line, no output.
run() {
	local name=$1 want=$2 rc
	shift 2
	rm -f "$tmp/out.json"
	"$@" >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	[ $rc = 2 ] || say "$name: exit $rc"
	[ "$(cat "$tmp/stderr")" = "$want" ] || say "$name: got '$(cat "$tmp/stderr")', expected '$want'"
	[ ! -s "$tmp/stdout" ] || say "$name: output on stdout: $(head -c 200 "$tmp/stdout")"
	[ ! -e "$tmp/out.json" ] || say "$name: a fixture was written"
	ls -a "$tmp" | grep -q '^\.out\.json\.' && say "$name: a temp file was left"
}

for c in "${cases[@]}"; do
	f=${c%%|*}
	msg=${c#*|}
	want="trustfuzz: $b/$f: $msg"
	# The bad file in every role, after good ones: nothing is written.
	run "leaf $f" "$want" "$TRUSTFUZZ" import --leaf "$b/$f" --root "$PKI/root.pem" \
		--time 2030-01-01T00:00:00Z --out "$tmp/out.json"
	run "root $f" "$want" "$TRUSTFUZZ" import --leaf "$PKI/leaf.pem" --root "$PKI/root.pem" \
		--root "$b/$f" --time 2030-01-01T00:00:00Z --out "$tmp/out.json"
	run "intermediate $f" "$want" "$TRUSTFUZZ" import --leaf "$PKI/leaf.pem" \
		--root "$PKI/root.pem" --intermediate "$b/$f" --time 2030-01-01T00:00:00Z \
		--out "$tmp/out.json"
	run "audit $f" "$want" "$TRUSTFUZZ" audit --root "$PKI/root.pem" --client-auth-issuers "$b/$f" \
		--time 2030-01-01T00:00:00Z
done

# A directory holding one bad file among good ones fails on that file.
mkdir -p "$tmp/store"
cp "$PKI/root.pem" "$tmp/store/a.pem"
cp "$b/truncated.pem" "$tmp/store/b.pem"
run "directory" "trustfuzz: $tmp/store/b.pem: PEM block 1 is truncated or corrupt (bad end line)" \
	"$TRUSTFUZZ" import --leaf "$PKI/leaf.pem" --root "$tmp/store" --time 2030-01-01T00:00:00Z \
	--out "$tmp/out.json"

# Over a scenario's maxima: named, exit 2 (audit takes any number).
mkdir -p "$tmp/many"
for i in $(seq 1 25); do cp "$PKI/root.pem" "$tmp/many/r$i.pem"; done
run "25 roots" "trustfuzz: root: 25 certificates, at most 24 in a scenario (trustfuzz audit reads whole stores)" \
	"$TRUSTFUZZ" import --leaf "$PKI/leaf.pem" --root "$tmp/many" --time 2030-01-01T00:00:00Z \
	--out "$tmp/out.json"

[ $fail = 0 ] && echo "import_bad_input: ok (${#cases[@]} cases)"
exit $fail
