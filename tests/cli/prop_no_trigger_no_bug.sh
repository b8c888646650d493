#!/usr/bin/env bash
# Property no-trigger-no-bug (docs/properties.md): 2000 trials from seed 1 hold, and at
# least 30% of them meet the precondition.
source "$TF_SRC/tests/cli/lib/prop_common.sh"
prop_check no-trigger-no-bug 2000 30
