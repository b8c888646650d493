#!/usr/bin/env bash
# Property store-order (docs/properties.md): 2000 trials from seed 1 hold, and at
# least 80% of them meet the precondition.
source "$TF_SRC/tests/cli/lib/prop_common.sh"
prop_check store-order 2000 80
