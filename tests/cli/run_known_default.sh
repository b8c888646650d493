#!/bin/bash
# tests/cli/run_known_default.sh — run outside the source tree, without
# --known, a CMake build still classifies divergences with the table of the
# source tree it was built from (tf_known_default_path): the summary counts
# known signatures and no "no known-divergence table" note is printed.
set -u
: "${TRUSTFUZZ:?}" "${TF_SRC:?}" "${TF_TMP:?}"
rm -rf "$TF_TMP"
mkdir -p "$TF_TMP"
cd "$TF_TMP" || exit 1
fails=0
"$TRUSTFUZZ" run --seed 1 --iterations 300 --jobs 1 --out f >log 2>&1 ||
	{ echo "FAIL: run exited $?"; tail -5 log; exit 1; }
grep -q "no known-divergence table" log && { echo "FAIL: no table found outside the source tree"; fails=1; }
known=$(sed -n 's/.* signatures (\([0-9]*\) new, \([0-9]*\) known).*/\2/p' log)
[ -n "$known" ] && [ "$known" -gt 0 ] || { echo "FAIL: summary counts no known signature: $(grep summary log)"; fails=1; }
exit $fails
