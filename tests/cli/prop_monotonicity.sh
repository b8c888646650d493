#!/usr/bin/env bash
# Property monotonicity (docs/properties.md): 1500 trials from seed 1 hold, and at
# least 40% of them meet the precondition.
source "$TF_SRC/tests/cli/lib/prop_common.sh"
prop_check monotonicity 1500 40
