#!/bin/sh
# Runs every libFuzzer target of a -DHI_FUZZ=ON build for a bounded time, each
# on a scratch copy of its seed corpus and kept crash inputs (the repository is
# never written), and prints the executions per target and in total. Exits 1
# when any target crashes, leaks, breaks an invariant, times out or runs out of
# memory; the input that did it is kept under BUILD_DIR/fuzz-artifacts/<target>/.
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]
set -eu

usage() {
  echo "usage: $0 BUILD_DIR SECONDS_PER_TARGET [TARGET...]" >&2
  exit 2
}

[ $# -ge 2 ] || usage
build=$1
seconds=$2
shift 2
case $seconds in '' | *[!0-9]*) usage ;; esac
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-"sshd_config ufw_status fail2ban_status firewalld_state nft_json tailscale_json docker_json iron_proxy_yaml baseline_yaml result_stream"}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM

total=0
failed=""
for target in $targets; do
  binary=$build/bin/${target}_fuzz
  if [ ! -x "$binary" ]; then
    echo "$binary: not built (configure with -DHI_FUZZ=ON -DHI_SANITIZE=ON and clang)" >&2
    exit 2
  fi
  corpus=$scratch/$target
  mkdir -p "$corpus"
  cp "$here/corpus/$target/"* "$corpus/"
  if [ -d "$here/regressions/$target" ]; then
    cp "$here/regressions/$target/"* "$corpus/"
  fi
  artifacts=$build/fuzz-artifacts/$target
  mkdir -p "$artifacts"
  log=$scratch/$target.log
  status=0
  "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  runs=${runs:-0}
  total=$((total + runs))
  if [ "$status" -eq 0 ]; then
    printf '%-16s %12s executions\n' "$target" "$runs"
  else
    printf '%-16s %12s executions  FAILED (exit %s), input kept in %s\n' "$target" "$runs" \
      "$status" "$artifacts" >&2
    grep -E 'ERROR: |SUMMARY: |invariant broken|^==[0-9]+==' "$log" | head -n 20 >&2 || true
    failed="$failed $target"
  fi
done
printf '%-16s %12s executions\n' total "$total"
if [ -n "$failed" ]; then
  echo "crashed:$failed" >&2
  exit 1
fi
