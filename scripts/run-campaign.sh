#!/usr/bin/env bash
# README command 1: install what is missing, build, and run a short
# differential campaign (reference vs KB model vs OpenSSL), printing the seed,
# progress and a table of what it found. Findings land in ./findings.
#   scripts/run-campaign.sh [trustfuzz run options...]   (default: --time 30)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--time 30)
exec build/trustfuzz run "${args[@]}"
