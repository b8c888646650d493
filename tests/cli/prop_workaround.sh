#!/usr/bin/env bash
# Property workaround (docs/properties.md): 2000 trials from seed 1 hold, and at
# least 25% of them meet the precondition.
source "$TF_SRC/tests/cli/lib/prop_common.sh"
prop_check workaround 2000 25
