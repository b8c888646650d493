#!/usr/bin/env bash
# Property verify-handshake (docs/properties.md): 150 trials from seed 1 hold, and at
# least 95% of them meet the precondition.
source "$TF_SRC/tests/cli/lib/prop_common.sh"
prop_check verify-handshake 150 95
