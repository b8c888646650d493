#!/bin/bash
# tests/cli/export_verify.sh — for every fixture under corpus/fixtures, and
# for the instances openssl, openssl+partial_chain and openssl+x509_strict,
# `trustfuzz export` writes verify.sh; running it with the openssl command
# must agree with the backend's verify-mode verdict (printed by export
# --print-verdict): OK when the backend says X509_V_OK, otherwise a failure
# whose first "error N at" line carries the backend's X509_V_ERR code N, and
# exit 3 when no identity is offered. Jobs run 8 at a time: each export
# fsyncs some twenty files.
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
command -v openssl >/dev/null || { echo "openssl command not found"; exit 1; }
mkdir -p "$TF_TMP"
export TRUSTFUZZ TF_TMP

# One job: prints "ok", "error", "none", or "FAIL: ..." lines.
one() {
	local fixture=$1 inst=$2 out line want got_out got_rc first
	out="$TF_TMP/$(basename "$fixture" .json)-$inst"
	rm -rf "$out"
	if ! line=$("$TRUSTFUZZ" export "$fixture" --out "$out" --evaluator "$inst" --print-verdict); then
		echo "FAIL: export $fixture ($inst) failed"
		return
	fi
	want=${line#x509=}
	want=${want%% *}
	got_out=$(sh "$out/verify.sh" 2>&1)
	got_rc=$?
	if [ "$want" = "-1" ]; then
		[ $got_rc -eq 3 ] && echo none ||
			echo "FAIL: $fixture ($inst): no identity, verify.sh exited $got_rc"
	elif [ "$want" = "0" ]; then
		if [ $got_rc -eq 0 ] && grep -q ': OK$' <<<"$got_out"; then
			echo ok
		else
			echo "FAIL: $fixture ($inst): backend OK, openssl verify says: $got_out"
		fi
	else
		first=$(grep -m1 -o '^error [0-9]* at' <<<"$got_out" | awk '{print $2}')
		if [ $got_rc -ne 0 ] && [ "$first" = "$want" ]; then
			echo error
		else
			echo "FAIL: $fixture ($inst): backend X509_V_ERR $want, openssl verify (exit $got_rc) says: $got_out"
		fi
	fi
}
export -f one

results=$(find "$TF_SRC/corpus/fixtures" -name '*.json' | sort |
	while IFS= read -r f; do
		for inst in openssl openssl+partial_chain openssl+x509_strict; do
			printf '%s\0%s\0' "$f" "$inst"
		done
	done | xargs -0 -n 2 -P 8 bash -c 'one "$1" "$2"' _)

ok=$(grep -c '^ok$' <<<"$results")
errors=$(grep -c '^error$' <<<"$results")
none=$(grep -c '^none$' <<<"$results")
runs=$((ok + errors + none))
fail=0
if grep '^FAIL' <<<"$results"; then
	fail=1
fi
echo "export_verify: $runs runs: $ok OK, $errors errors, $none without identity"
# The agreement means something only when every outcome occurred.
if [ $runs -lt 36 ] || [ $ok -eq 0 ] || [ $errors -eq 0 ] || [ $none -eq 0 ]; then
	echo "FAIL: too few fixtures or outcomes to compare"
	fail=1
fi
exit $fail
