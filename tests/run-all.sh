#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, then builds and
# runs ctest twice, in a normal build (build/) and with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), runs every fuzz target for a bounded
# time (HI_FUZZ_SECONDS each, default 10), then checks the Debian package when
# run as root. As root it also sets HI_TESTS_NO_SKIP=1: a test that needs root,
# a tool or a file it cannot find fails rather than skips. Usage: tests/run-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/bootstrap.sh --tests --no-build
# As root (CI) every test can run, so a test that would skip fails instead.
if [ "$(id -u)" = 0 ]; then export HI_TESTS_NO_SKIP=1; fi
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

# Every parser under libFuzzer (clang), for a bounded time per target.
echo "== fuzz every parser (clang, libFuzzer, ASan+UBSan)"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DHI_FUZZ=ON -DHI_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j "$jobs" --target hi_fuzzers
tests/fuzz/run.sh build-fuzz "${HI_FUZZ_SECONDS:-10}"
passed=$((passed + 1))

if [ "$(id -u)" = 0 ]; then
  echo "== Debian package"
  packaging/ci-deb-check.sh
  passed=$((passed + 1))
fi

echo "== summary: ctest in both builds, the fuzz run, the package check"
echo "all: $passed passed, 0 failed"
