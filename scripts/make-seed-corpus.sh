#!/usr/bin/env bash
# Regenerates the seed corpus of the differential fuzz target,
# corpus/fuzz/diff/, from corpus/fixtures (the byte form of every fixture,
# plus a few generated scenarios per profile). Deterministic: rerunning it
# changes nothing unless a fixture changed.
#
# usage: scripts/make-seed-corpus.sh [--check] [FUZZ_SEEDS]
#   --check     compare instead of writing; exit 1 when the corpus is stale
#   FUZZ_SEEDS  the fuzz-seeds binary (default: build/harness/fuzz/fuzz-seeds,
#               built first when missing)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
check=0
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
bin=${1:-$src/build/harness/fuzz/fuzz-seeds}
if [ ! -x "$bin" ]; then
	cmake -S "$src" -B "$src/build" >/dev/null
	cmake --build "$src/build" --target fuzz-seeds >/dev/null
fi
out=$src/corpus/fuzz/diff
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" "$src/corpus/fixtures" "$tmp" >/dev/null
if [ "$check" = 1 ]; then
	if ! diff -r "$tmp" "$out" >/dev/null 2>&1; then
		echo "corpus/fuzz/diff is stale (a fixture changed): run scripts/make-seed-corpus.sh" >&2
		diff -rq "$tmp" "$out" >&2 || true
		exit 1
	fi
	echo "corpus/fuzz/diff is up to date ($(ls "$tmp" | wc -l) seeds)"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out"
cp "$tmp"/* "$out"/
echo "wrote $(ls "$out" | wc -l) seeds to corpus/fuzz/diff"
