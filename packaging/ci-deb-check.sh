#!/usr/bin/env bash
# Builds the Debian package the way a release is built (Release, prefix /usr,
# Debian's hardening flags), checks it with lintian, installs it, uses it, and
# removes and purges it, asserting nothing of it is left behind.
# Runs as root on a Debian 12 machine where hermes-inspect is not installed.
# Usage: packaging/ci-deb-check.sh [BUILD_DIR]
# Without BUILD_DIR it builds in a temporary directory and removes it; with
# one, the .deb stays there.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs and removes the package"
for tool in cmake ninja cpack lintian dpkg-shlibdeps promtool python3 systemd-analyze; do
    command -v "$tool" >/dev/null || fail "$tool not found (packaging/bootstrap.sh --tests installs it)"
done
if dpkg-query -W -f='${Status}' hermes-inspect 2>/dev/null | grep -q installed; then
    fail "hermes-inspect is already installed here; this check would replace and purge it"
fi

work=$(mktemp -d /tmp/hi-deb-check.XXXXXX)
build=${1:-$work/build}
installed=0
cleanup() {
    # A failed check must not leave the package on the machine.
    [ "$installed" = 1 ] && dpkg -P hermes-inspect >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

step "configure a Release build for prefix /usr in $build"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
      -DBUILD_TESTING=OFF "${launcher[@]}" \
      -DCMAKE_C_FLAGS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)" \
      -DCMAKE_CXX_FLAGS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)" \
      -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" \
      -DCMAKE_MODULE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" >/dev/null

step "build"
cmake --build "$build" -j "$(nproc)"

step "cpack -G DEB"
rm -f "$build"/hermes-inspect_*.deb
(cd "$build" && cpack -G DEB)
deb=$(echo "$build"/hermes-inspect_*.deb)
[ -f "$deb" ] || fail "cpack made no hermes-inspect_*.deb"
dpkg-deb --info "$deb"
ok "$(basename "$deb")"

step "lintian (errors fail the check; warnings are listed)"
# initial-upload-closes-no-bugs: the package is not uploaded to Debian, so
# there is no ITP bug to close.
lintian --fail-on error --suppress-tags initial-upload-closes-no-bugs "$deb" ||
    fail "lintian reported errors"
ok "lintian: no errors"

step "dpkg -i"
installed=1
dpkg -i "$deb"
[ -z "$(ls -A /etc/hermes-inspect/baselines)" ] || fail "/etc/hermes-inspect/baselines is not empty"
ok "installed; /etc/hermes-inspect/baselines is there and empty"

step "hermes-inspect --version"
/usr/bin/hermes-inspect --version

step "hermes-inspect list: every bundled plugin loads"
/usr/bin/hermes-inspect list
/usr/bin/hermes-inspect list --json | python3 -c '
import json, sys
plugins = json.load(sys.stdin)["plugins"]
bad = [p for p in plugins if p["state"] != "ok" or not p["file"].startswith("/usr/lib/hermes-inspect/plugins/")]
assert plugins and not bad, bad
print(len(plugins), "plugins ok")' || fail "the installed plugins do not all load"

step "hermes-inspect baselines: the shipped ones from /usr/share"
/usr/bin/hermes-inspect baselines | tee "$work/baselines.txt"
grep -q "^minimal  /usr/share/hermes-inspect/baselines/minimal.yaml$" "$work/baselines.txt" ||
    fail "minimal is not found in /usr/share/hermes-inspect/baselines"

step "hermes-inspect run (table, exit 0)"
/usr/bin/hermes-inspect run --all --no-color || fail "run exited $?"

step "hermes-inspect run --json validates against the installed schema"
/usr/bin/hermes-inspect run --json > "$work/report.json"
python3 - "$work/report.json" /usr/share/hermes-inspect/schema/report.schema.json <<'PY' || fail "report invalid"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
PY
ok "report valid"

step "hermes-inspect run --format prometheus | promtool check metrics"
/usr/bin/hermes-inspect run --format prometheus | promtool check metrics || fail "promtool rejected the metrics"
ok "metrics accepted"

step "man page, completion and units are where tools look"
[ "$(man -w hermes-inspect)" = /usr/share/man/man1/hermes-inspect.1.gz ] || fail "man -w hermes-inspect"
bash --norc -c 'source /usr/share/bash-completion/completions/hermes-inspect && complete -p hermes-inspect' ||
    fail "completion does not load"
SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no \
    /usr/lib/systemd/system/hermes-inspect.service /usr/lib/systemd/system/hermes-inspect.timer ||
    fail "systemd-analyze verify rejected the installed units"
ok "man, completion, units"

# What the service would write, so that purge has something to clean up.
prom=/var/lib/prometheus/node-exporter/hermes_inspect.prom
wrote_prom=0
if [ -d "$(dirname "$prom")" ] && [ ! -e "$prom" ]; then
    /usr/bin/hermes-inspect run --format prometheus --output "$prom"
    wrote_prom=1
fi

dpkg -L hermes-inspect > "$work/files.txt"
step "dpkg -r hermes-inspect ($(wc -l < "$work/files.txt") paths listed by dpkg -L)"
dpkg -r hermes-inspect
left=()
while read -r path; do
    if [ ! -d "$path" ] && { [ -e "$path" ] || [ -L "$path" ]; }; then
        left+=("$path")
    fi
done < "$work/files.txt"
[ "${#left[@]}" = 0 ] || fail "files left after dpkg -r: ${left[*]}"
ok "no file of the package left after remove"

step "dpkg -P hermes-inspect"
dpkg -P hermes-inspect
installed=0
dpkg-query -W hermes-inspect >/dev/null 2>&1 && fail "dpkg still knows hermes-inspect after purge"
for dir in /etc/hermes-inspect /usr/lib/hermes-inspect /usr/share/hermes-inspect /usr/share/doc/hermes-inspect \
           /usr/include/hermes_inspect /usr/lib/cmake/HermesInspect; do
    [ ! -e "$dir" ] || fail "$dir left after purge"
done
if [ "$wrote_prom" = 1 ]; then
    [ ! -e "$prom" ] || fail "$prom left after purge"
fi
ok "nothing left after purge"

printf '\nDebian package check passed: %s\n' "$deb"
