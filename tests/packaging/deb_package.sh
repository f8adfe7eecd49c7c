#!/usr/bin/env bash
# cpack -G DEB from the build tree: control fields, computed Depends, the
# files and their modes, stripped binaries that run from the unpacked tree,
# and lintian without errors. Usage: deb_package.sh BUILD_DIR VERSION
source "$(dirname "$0")/lib.sh"
build=$1 version=$2
need cpack cmake
need dpkg-deb dpkg
need dpkg-shlibdeps dpkg-dev
need lintian lintian
need file file

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
    fail "cpack failed: $(cat "$scratch/cpack.log")"
deb=$scratch/out/hermes-inspect_${version}-1_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "expected $deb; cpack made: $(ls "$scratch/out")"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = hermes-inspect ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version-1" ] || fail "Version: $(field Version)"
[ "$(field Section)" = admin ] || fail "Section: $(field Section)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
for lib in libc6 libstdc++6 libyaml-cpp0.7; do
    sed 's/, */\n/g' <<<"$depends" | cut -d' ' -f1 | grep -qxF "$lib" || fail "Depends lacks $lib: $depends"
done

# No conffiles: /etc/hermes-inspect/baselines ships empty, for site files.
dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -qx './conffiles' && fail "the package ships conffiles"

root=$scratch/root
dpkg-deb -x "$deb" "$root"
listing=$(dpkg-deb -c "$deb")
[ -d "$root/etc/hermes-inspect/baselines" ] || fail "no /etc/hermes-inspect/baselines"
[ -z "$(ls -A "$root/etc/hermes-inspect/baselines")" ] || fail "/etc/hermes-inspect/baselines is not empty"
for f in usr/bin/hermes-inspect usr/share/hermes-inspect/baselines/minimal.yaml \
         usr/include/hermes_inspect/plugin.h usr/lib/cmake/HermesInspect/HermesInspectConfig.cmake \
         usr/share/man/man1/hermes-inspect.1.gz usr/share/bash-completion/completions/hermes-inspect \
         usr/share/doc/hermes-inspect/copyright usr/share/doc/hermes-inspect/changelog.Debian.gz \
         usr/lib/systemd/system/hermes-inspect.service usr/lib/systemd/system/hermes-inspect.timer; do
    [ -f "$root/$f" ] || fail "/$f missing from the package"
done
for plugin in "$build"/lib/hermes-inspect/plugins/*.so; do
    name=$(basename "$plugin")
    [ -f "$root/usr/lib/hermes-inspect/plugins/$name" ] || fail "plugin $name missing from the package"
done
grep -q '^-rwxr-xr-x root/root .* ./usr/bin/hermes-inspect$' <<<"$listing" || fail "bad mode or owner of the binary"
if grep -v '^d' <<<"$listing" | grep -v ' ./usr/bin/hermes-inspect$' | grep -v '^-rw-r--r-- root/root ' >/dev/null; then
    fail "files not 0644 root/root: $(grep -v '^d' <<<"$listing" | grep -v '^-rw-r--r-- root/root ')"
fi
for elf in "$root/usr/bin/hermes-inspect" "$root"/usr/lib/hermes-inspect/plugins/*.so; do
    file -b "$elf" | grep -q ', stripped' || fail "$elf is not stripped: $(file -b "$elf")"
done
grep -q "^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" \
    "$root/usr/share/doc/hermes-inspect/copyright" || fail "copyright is not machine-readable"
grep -qx "License: MIT" "$root/usr/share/doc/hermes-inspect/copyright" || fail "copyright names no MIT license"
gzip -dc "$root/usr/share/doc/hermes-inspect/changelog.Debian.gz" | head -1 |
    grep -q "^hermes-inspect ($version-1) " || fail "changelog's first entry is not $version-1"

# The unpacked tree runs: the stripped plugins still load.
plugins=$("$root/usr/bin/hermes-inspect" list --json) || fail "the packaged binary does not run"
python3 - "$plugins" "$build"/lib/hermes-inspect/plugins/*.so <<'PY' || fail "packaged plugins do not load"
import json, os, sys
plugins = json.loads(sys.argv[1])["plugins"]
states = {p["name"]: p["state"] for p in plugins}
expected = {os.path.basename(p)[:-3] for p in sys.argv[2:]}
assert set(states) == expected, (states, expected)
assert all(s == "ok" for s in states.values()), states
PY

lintian --fail-on error --suppress-tags initial-upload-closes-no-bugs "$deb" >"$scratch/lintian.log" 2>&1 ||
    fail "lintian found errors: $(cat "$scratch/lintian.log")"
cat "$scratch/lintian.log"
echo "ok: $(basename "$deb") checked"
