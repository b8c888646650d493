#!/usr/bin/env bash
# Installs, by Debian 12 package name, whatever trustfuzz needs that is missing.
# Safe to run again: it installs nothing when everything is present.
#   scripts/install-deps.sh            build, test and campaign dependencies
#   scripts/install-deps.sh --fuzz     also AFL++ (libFuzzer comes with clang's runtime)
set -euo pipefail

pkgs=(cmake ninja-build pkg-config gcc make clang libclang-rt-14-dev
      libssl-dev openssl libgnutls28-dev gnutls-bin libjansson-dev libcmocka-dev graphviz chromium python3 zip
      jq python3-yaml procps)
for arg in "$@"; do
  case "$arg" in
    --fuzz) pkgs+=(afl++) ;;
    *) echo "install-deps.sh: unknown option '$arg' (expected --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps.sh: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
