#!/usr/bin/env bash
# The imported corpus: corpus/import holds real certificates (made once with
# the openssl command line, tests/cli/lib/pki.sh) and one manifest directory
# per case; corpus/fixtures/imported holds the fixture of each case. The
# manifests replay to their expected results, and re-importing each gives
# its committed fixture byte for byte (sources and fixtures never drift).
set -u
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir -p "$TF_TMP" && tmp=$(mktemp -d "$TF_TMP/corpus.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
src="$TF_SRC/corpus/import"
fx="$TF_SRC/corpus/fixtures/imported"

n=0
for m in "$src"/*/manifest.json; do
	case=$(basename "$(dirname "$m")")
	n=$((n + 1))
	"$TRUSTFUZZ" import --manifest "$src/$case" --out "$tmp/$case.json" >/dev/null 2>"$tmp/err" ||
		say "$case: import: $(cat "$tmp/err")"
	cmp -s "$tmp/$case.json" "$fx/$case.json" ||
		say "$case: corpus/fixtures/imported/$case.json differs from a fresh import (rerun trustfuzz import --manifest corpus/import/$case --out ...)"
done
[ "$n" -ge 3 ] || say "only $n manifest cases"
[ "$(ls "$fx"/*.json | wc -l)" = "$n" ] || say "fixtures without a manifest in corpus/fixtures/imported"
out=$("$TRUSTFUZZ" replay "$src"); rc=$?
[ $rc = 0 ] && [ "$out" = "$n passed, 0 failed" ] || say "replay corpus/import: exit $rc: $out"
out=$("$TRUSTFUZZ" replay "$fx"); rc=$?
[ $rc = 0 ] && [ "$out" = "$n passed, 0 failed" ] || say "replay corpus/fixtures/imported: exit $rc: $out"

[ $fail = 0 ] && echo "import_corpus: ok ($n cases)"
exit $fail
