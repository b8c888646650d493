#!/usr/bin/env bash
# Configures and builds trustfuzz into a build directory (default: build/).
#   scripts/build.sh [BUILD_DIR] [extra cmake args...]
# Environment: CC picks the compiler (gcc by default).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" "${gen[@]}" -DTF_WERROR=ON "$@" >/dev/null
else
  cmake -S . -B "$dir" "$@" >/dev/null
fi
cmake --build "$dir" -j "$(nproc)"
