#!/usr/bin/env bash
# `cmake --install` gives the relocatable layout of the contract plus the man
# page, completion and documentation, and nothing outside the prefix; the
# "system" component (for the package only) adds the systemd units and the
# empty site baseline directory. Usage: install_layout.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
build=$1

prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install failed"
for f in bin/hermes-inspect lib/hermes-inspect/plugins/ufw.so share/hermes-inspect/baselines/minimal.yaml \
         share/hermes-inspect/schema/report.schema.json include/hermes_inspect/plugin.h \
         lib/cmake/HermesInspect/HermesInspectConfig.cmake share/man/man1/hermes-inspect.1.gz \
         share/bash-completion/completions/hermes-inspect share/doc/hermes-inspect/copyright \
         share/doc/hermes-inspect/changelog.Debian.gz \
         share/doc/hermes-inspect/examples/prometheus/hermes-inspect.rules.yml \
         share/doc/hermes-inspect/examples/ansible/inspect.yml; do
    [ -f "$prefix/$f" ] || fail "$f not installed under the prefix"
done
for d in etc lib/systemd; do
    [ ! -e "$prefix/$d" ] || fail "$d installed by a relocatable install"
done

# The system component, staged with DESTDIR as the package build does.
stage=$scratch/stage
DESTDIR=$stage cmake --install "$build" --prefix /usr --component system >/dev/null ||
    fail "cmake --install --component system failed"
[ -d "$stage/etc/hermes-inspect/baselines" ] || fail "no /etc/hermes-inspect/baselines in the system component"
[ -z "$(ls -A "$stage/etc/hermes-inspect/baselines")" ] || fail "/etc/hermes-inspect/baselines is not empty"
for u in hermes-inspect.service hermes-inspect.timer; do
    [ -f "$stage/usr/lib/systemd/system/$u" ] || fail "$u not in /usr/lib/systemd/system"
done
echo "ok: install layout"
