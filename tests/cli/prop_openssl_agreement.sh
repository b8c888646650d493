#!/usr/bin/env bash
# Property openssl-agreement (docs/properties.md): 600 trials from seed 1 hold, and at
# least 15% of them meet the precondition.
source "$TF_SRC/tests/cli/lib/prop_common.sh"
prop_check openssl-agreement 600 15
