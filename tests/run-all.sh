#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, then builds and
# runs ctest twice, in a normal build (build/) and with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), then checks the Debian package when
# run as root. Usage: tests/run-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/bootstrap.sh --tests --no-build
jobs=$(nproc)

run_suite() {
  local dir=$1; shift
  echo "== configure and build $dir ($*)"
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== test $dir"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 600
}

run_suite build -DBUILD_TESTING=ON
run_suite build-asan -DBUILD_TESTING=ON -DHI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug

if [ "$(id -u)" = 0 ] && [ -x packaging/ci-deb-check.sh ]; then
  echo "== Debian package"
  packaging/ci-deb-check.sh
fi
