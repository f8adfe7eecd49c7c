#!/usr/bin/env bash
# Installs what hermes-inspect needs from Debian 12 (only what is missing) and
# builds it into ./build. With --tests, also the packages the test suite runs
# for real (sshd, nft, ufw, fail2ban, firewall-cmd, promtool, ...).
# Usage: packaging/bootstrap.sh [--tests] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(cmake ninja-build g++ libboost-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev)
test_packages=(catch2 python3 python3-jsonschema openssh-server nftables ufw fail2ban firewalld
               iproute2 util-linux procps prometheus clang libclang-rt-14-dev binutils
               dpkg-dev lintian file systemd ansible-core groff-base man-db bash-completion time)

want_tests=0 want_build=1
for arg in "$@"; do
  case "$arg" in
    --tests) want_tests=1 ;;
    --no-build) want_build=0 ;;
    *) echo "usage: $0 [--tests] [--no-build]" >&2; exit 2 ;;
  esac
done

packages=("${build_packages[@]}")
[ "$want_tests" = 1 ] && packages+=("${test_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bootstrap: missing Debian packages: ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  echo "bootstrap: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Packages with daemons must not start them on this machine while installing.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "$want_build" = 1 ]; then
  cmake -S . -B build -G Ninja -DBUILD_TESTING=$([ "$want_tests" = 1 ] && echo ON || echo OFF) >/dev/null
  cmake --build build
fi
