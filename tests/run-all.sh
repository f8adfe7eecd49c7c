#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, then builds and
# runs ctest twice, in a normal build (build/) and with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), then checks the Debian package when
# run as root. Usage: tests/run-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/bootstrap.sh --tests --no-build
jobs=$(nproc)
passed=0

run_suite() {
  local dir=$1; shift
  echo "== configure and build $dir ($*)"
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== test $dir"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 600 | tee "$dir/ctest.log"
  passed=$((passed + $(sed -n 's/^100% tests passed, 0 tests failed out of \([0-9]*\)$/\1/p' "$dir/ctest.log")))
}

run_suite build -DBUILD_TESTING=ON
run_suite build-asan -DBUILD_TESTING=ON -DHI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug

if [ "$(id -u)" = 0 ]; then
  echo "== Debian package"
  packaging/ci-deb-check.sh
  passed=$((passed + 1))
fi

echo "== summary: ctest in both builds, then the package check"
echo "all: $passed passed, 0 failed"
