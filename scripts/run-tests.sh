#!/usr/bin/env bash
# README command 2: install what is missing, build, and run every test (ctest).
#   scripts/run-tests.sh [BUILD_DIR]      (default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dir=${1:-build}
scripts/build.sh "$dir"
cd "$dir"
ctest --output-on-failure -j "$(nproc)" --output-junit junit.xml
