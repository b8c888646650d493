#!/usr/bin/env bash
# Property determinism (docs/properties.md): 40 trials hold in one process,
# and a second process over the same trials prints the same digest of every
# scenario, DER certificate, fixture and verdict; another seed does not.
source "$TF_SRC/tests/cli/lib/prop_common.sh"
fail=0
prop_check determinism 40 100 || fail=1
digest() { "$TRUSTFUZZ" prop determinism --trials 40 --seed "$1" --out "$TF_TMP/det" | sed -n 's/^determinism: digest //p'; }
a=$(digest 1); b=$(digest 1); c=$(digest 2)
[ -n "$a" ] || { echo "FAIL: no digest printed"; fail=1; }
[ "$a" = "$b" ] || { echo "FAIL: two runs of seed 1 printed digests $a and $b"; fail=1; }
[ "$a" != "$c" ] || { echo "FAIL: seeds 1 and 2 printed the same digest $a"; fail=1; }
[ $fail -eq 0 ] && echo "prop_determinism: digest $a in both runs"
exit $fail
