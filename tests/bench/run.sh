#!/usr/bin/env bash
# What a survey costs, measured: five scenario hosts, each surveyed in parallel
# (the default) and sequentially (--jobs 1), medians from hyperfine, peak RSS
# from a tracer that tells the parent from its workers and tools.
#   1. core only: all ten signals, no tool installed
#   2. every tool a fake that answers after 100 ms
#   3. this machine's real tools (root only; skipped otherwise)
#   4. four tools that hang (sleep 60) under --timeout 1
#   5. 0, 10, 25 and 50 third-party plugins added: the cost of one more plugin
# Usage: tests/bench/run.sh [BUILD_DIR]   (default: build; a Release build)
# Exit: 0 every target met, 1 a target missed, 2 the benchmark could not run.
set -euo pipefail

die() {
  echo "bench: $*" >&2
  exit 2
}

need() {
  command -v "$1" >/dev/null || die "$1 not found (apt-get install -y $2)"
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build_arg=${1:-build}
if [ -d "$build_arg" ]; then
  build=$(cd "$build_arg" && pwd)
elif [ -d "$repo/$build_arg" ]; then
  build=$(cd "$repo/$build_arg" && pwd)
else
  die "no build dir $build_arg (usage: $0 [BUILD_DIR])"
fi
inspector=$build/bin/hermes-inspect
bundled=$build/lib/hermes-inspect/plugins
[ -x "$inspector" ] || die "no $inspector: build it first"
bundled_count=$(find "$bundled" -maxdepth 1 -name '*.so' 2>/dev/null | wc -l)
[ "$bundled_count" -ge 8 ] || die "$bundled holds $bundled_count plugins; build all eight bundled ones"
need hyperfine hyperfine
need cc gcc
need python3 python3
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
[ "$build_type" = Release ] ||
  echo "bench: warning: $build is a '${build_type:-unknown}' build; the targets are for Release" >&2
if compgen -G '/usr/local/lib/hermes-inspect/plugins/*.so' >/dev/null; then
  echo "bench: warning: /usr/local/lib/hermes-inspect/plugins holds plugins; every scenario runs them too" >&2
fi
unset HERMES_INSPECT_PLUGIN_PATH

work=$(mktemp -d "${TMPDIR:-/tmp}/hermes-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
results=$work/results
mkdir -p "$results"
bench_py=$here/bench.py

readonly hang_timeout=1
readonly fake_delay=0.1
readonly system_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly plugin_counts=(0 10 25 50)

# ---- the scenario hosts --------------------------------------------------

host=$work/host
home=$work/home/.hermes
mkdir -p "$host/etc/ssh" "$home" "$work/tools-none" "$work/tools-fake" "$work/tools-hang" "$work/fixtures"
printf 'PasswordAuthentication no\nPermitRootLogin prohibit-password\n' >"$host/etc/ssh/sshd_config"
printf 'proxy:\n  enabled: true\n' >"$home/config.yaml"

fixtures=$repo/tests/plugins
# tool name, then the captured answer it gives
fake_answers=(
  "tailscale $fixtures/tailscale/fixtures/running.json"
  "ufw $fixtures/ufw/fixtures/active-deny.stdout"
  "firewall-cmd $fixtures/firewalld/fixtures/running.stdout"
  "nft $fixtures/nftables/fixtures/final-drop.json"
  "fail2ban-client $fixtures/fail2ban/fixtures/two-jails.stdout"
  "docker $fixtures/docker-seccomp/fixtures/builtin.stdout"
)
for entry in "${fake_answers[@]}"; do
  read -r tool answer <<<"$entry"
  [ -f "$answer" ] || die "missing fixture $answer"
  cp "$answer" "$work/fixtures/$tool"
  printf '#!/bin/sh\nsleep %s\nexec cat %s\n' "$fake_delay" "$work/fixtures/$tool" >"$work/tools-fake/$tool"
  chmod 755 "$work/tools-fake/$tool"
done
hung_tools=(ufw firewall-cmd nft fail2ban-client)
for tool in "${hung_tools[@]}"; do
  printf '#!/bin/sh\nsleep 60\n' >"$work/tools-hang/$tool"
  chmod 755 "$work/tools-hang/$tool"
done

echo "== building ${plugin_counts[-1]} third-party plugins"
mkdir -p "$work/so"
seq -f 'plugin%02g' 1 "${plugin_counts[-1]}" |
  xargs -P 2 -I{} cc -std=c99 -O2 -shared -fPIC -fvisibility=hidden -Wall -Wextra -Wpedantic -Wshadow \
    -Wconversion -Werror -I "$repo/sdk/include" -DBENCH_NAME={} -o "$work/so/{}.so" "$here/bench_plugin.c"
for n in "${plugin_counts[@]}"; do
  mkdir -p "$work/plugins-$n"
  for ((i = 1; i <= n; i++)); do cp "$work/so/$(printf 'plugin%02d' "$i").so" "$work/plugins-$n/"; done
done
peak_rss=$work/peak_rss
cc -std=c99 -O2 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror -o "$peak_rss" "$here/peak_rss.c"

# ---- measuring -------------------------------------------------------------

# A command line for hyperfine --shell=none, which splits words as a POSIX shell.
quoted() {
  local out="" arg
  for arg in "$@"; do out+="${out:+ }$(printf '%q' "$arg")"; done
  printf '%s' "$out"
}

# survey_args TOOL_PATH [more run flags]: the survey of the scenario host.
survey_args() {
  local tools=$1
  shift
  printf '%s\n' run --json --root "$host" --hermes-home "$home" --tool-path "$tools" "$@"
}

# check NAME EXPECTATION... -- RUN FLAGS: one survey, validated, so a scenario
# never times a path other than the one it claims (a refused plugin is cheap).
check() {
  local name=$1
  shift
  local expect=()
  while [ "$1" != -- ]; do expect+=("$1"); shift; done
  shift
  "$inspector" "$@" >"$results/$name.report.json" || die "$name: survey exited $?"
  python3 "$bench_py" check "$results/$name.report.json" "${expect[@]}" || die "$name: survey not as expected"
}

# measure NAME HYPERFINE ARGS...: runs hyperfine, keeps its JSON export, prints
# one line per command; hyperfine's advice on a noisy machine only on failure.
measure() {
  local name=$1
  shift
  hyperfine --shell=none --style none --export-json "$results/$name.json" "$@" >/dev/null \
    2>"$work/hyperfine.err" || { cat "$work/hyperfine.err" >&2; die "$name: hyperfine failed"; }
  python3 "$bench_py" line "$name" "$results/$name.json"
}

# time_it NAME RUNS WARMUP RUN FLAGS...: hyperfine's median of the survey.
time_it() {
  local name=$1 runs=$2 warmup=$3
  shift 3
  measure "$name" --runs "$runs" --warmup "$warmup" "$(quoted "$inspector" "$@")"
}

# rss NAME RUNS RUN FLAGS...: peak RSS of parent, workers and tools, per run.
# LeakSanitizer cannot work under a tracer; the timed runs of a sanitized build
# still check for leaks.
rss() {
  local name=$1 runs=$2 i
  shift 2
  for ((i = 0; i < runs; i++)); do
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
      "$peak_rss" "$results/$name.rss" "$inspector" "$@" >/dev/null 2>&1 || die "$name: cannot measure memory"
  done
}

# probe_alone NAME RUNS COMMAND...: each command by itself, as its plugin runs it.
probe_alone() {
  local name=$1 runs=$2 c
  shift 2
  local cmds=()
  for c in "$@"; do cmds+=("env -i PATH=$system_path HOME=/root LANG=C LC_ALL=C $c"); done
  # A tool may well exit non-zero here (firewalld not running); its time still counts.
  measure "$name" --runs "$runs" --warmup 1 --ignore-failure "${cmds[@]}"
}

mapfile -t s1 < <(survey_args "$work/tools-none")
echo "== 1. core only: ten signals, no tools"
check s1 signals=10 tools=absent -- "${s1[@]}"
time_it s1-par 40 5 "${s1[@]}"
time_it s1-seq 20 3 "${s1[@]}" --jobs 1
rss s1 5 "${s1[@]}"

mapfile -t s2 < <(survey_args "$work/tools-fake")
echo "== 2. every tool a fake answering after ${fake_delay}s"
check s2 signals=10 tools=answered min_tool_ms=100 -- "${s2[@]}"
fake_cmds=()
for entry in "${fake_answers[@]}"; do fake_cmds+=("$work/tools-fake/${entry%% *}"); done
probe_alone s2-probe 5 "${fake_cmds[@]}"
time_it s2-par 20 2 "${s2[@]}"
time_it s2-seq 8 1 "${s2[@]}" --jobs 1
rss s2 3 "${s2[@]}"

echo "== 3. this machine's real tools"
real_cmds=()
for c in "tailscale status --json" "ufw status verbose" "firewall-cmd --state" "nft -j list ruleset" \
  "fail2ban-client status" "docker info --format '{{json .SecurityOptions}}'"; do
  PATH=$system_path command -v "${c%% *}" >/dev/null && real_cmds+=("$c")
done
if [ "$(id -u)" != 0 ]; then
  echo "skipped: needs root (ufw, nft and fail2ban-client answer only root)" | tee "$results/s3.skipped"
elif [ "${#real_cmds[@]}" = 0 ]; then
  echo "skipped: none of the probed tools is installed" | tee "$results/s3.skipped"
else
  mapfile -t s3 < <(survey_args "$system_path")
  check s3 signals=10 -- "${s3[@]}"
  probe_alone s3-probe 5 "${real_cmds[@]}"
  time_it s3-par 10 1 "${s3[@]}"
  time_it s3-seq 6 1 "${s3[@]}" --jobs 1
  rss s3 3 "${s3[@]}"
fi

mapfile -t s4 < <(survey_args "$work/tools-hang" --timeout "$hang_timeout")
echo "== 4. ${#hung_tools[@]} tools hang (sleep 60), --timeout $hang_timeout"
check s4 signals=10 hung="$(IFS=,; echo "${hung_tools[*]}")" -- "${s4[@]}"
time_it s4-par 5 0 "${s4[@]}"
time_it s4-seq 3 0 "${s4[@]}" --jobs 1
rss s4 3 "${s4[@]}"

echo "== 5. third-party plugins: ${plugin_counts[*]} added"
for n in "${plugin_counts[@]}"; do
  check "s5-$n" signals=$((10 + n)) extra_plugins="$n" tools=absent -- \
    "${s1[@]}" --plugins-dir "$work/plugins-$n"
done
measure s5-par --runs 20 --warmup 3 --parameter-list n "$(IFS=,; echo "${plugin_counts[*]}")" \
  "$(quoted "$inspector" "${s1[@]}" --plugins-dir "$work/plugins-")"'{n}'
most=${plugin_counts[-1]}
time_it s5-seq 8 1 "${s1[@]}" --plugins-dir "$work/plugins-$most" --jobs 1
rss s5 3 "${s1[@]}" --plugins-dir "$work/plugins-$most"

python3 "$bench_py" summary "$results" --hang-timeout "$hang_timeout" --extra-plugins "$most"
