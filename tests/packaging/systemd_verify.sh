#!/usr/bin/env bash
# systemd-analyze verify accepts the service and the timer, with ExecStart
# pointing at the built executable (verify wants the binary to exist).
# Usage: systemd_verify.sh SOURCE_DIR BINARY
source "$(dirname "$0")/lib.sh"
src=$1 binary=$2
need systemd-analyze systemd

units=$scratch/units
mkdir "$units"
sed "s|^ExecStart=/usr/bin/hermes-inspect |ExecStart=$binary |" \
    "$src/packaging/systemd/hermes-inspect.service" > "$units/hermes-inspect.service"
cp "$src/packaging/systemd/hermes-inspect.timer" "$units/"
grep -q "^ExecStart=$binary run --format prometheus --output /var/lib/prometheus/node-exporter/hermes_inspect.prom$" \
    "$units/hermes-inspect.service" || fail "ExecStart is not the documented command line"

verify() { SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$@" 2>&1; }

out=$(verify "$units/hermes-inspect.service" "$units/hermes-inspect.timer") ||
    fail "systemd-analyze verify rejected the units: $out"
[ -z "$out" ] || fail "systemd-analyze verify complained: $out"

# The verifier must be able to say no here, or the check above proves nothing.
sed 's|^ExecStart=.*|ExecStart=hermes-inspect-not-installed run|' "$units/hermes-inspect.service" \
    > "$units/broken.service"
if verify "$units/broken.service" >/dev/null; then
    fail "systemd-analyze verify accepted a unit whose ExecStart does not exist"
fi

# The sandbox, as systemd itself reads it from the shipped unit.
security=$(systemd-analyze security --offline=true --no-pager "$units/hermes-inspect.service")
expect_sandbox() {
    grep -Eq "^. $1 +$2" <<<"$security" || fail "sandbox: expected '$1 $2'; systemd says: $(grep -F "$1" <<<"$security")"
}
expect_sandbox ProtectSystem= "Service has strict read-only access to the OS file hierarchy"
expect_sandbox ProtectHome= "Service has read-only access to home directories"
expect_sandbox PrivateTmp= "Service has no access to other software's temporary files"
expect_sandbox PrivateDevices= "Service has no access to hardware devices"
expect_sandbox NoNewPrivileges= "Service processes cannot acquire new privileges"
expect_sandbox ProtectKernelTunables= "Service cannot alter kernel tunables"
expect_sandbox ProtectKernelModules= "Service cannot load or read kernel modules"
expect_sandbox ProtectKernelLogs= "Service cannot read from or write to the kernel log ring buffer"
expect_sandbox ProtectControlGroups= "Service cannot modify the control group file system"
# What the probes need must stay: netlink for nft, sockets, nft's CAP_NET_ADMIN.
expect_sandbox "RestrictAddressFamilies=~AF_NETLINK" "Service may allocate netlink sockets"
expect_sandbox "RestrictAddressFamilies=~AF_UNIX" "Service may allocate local sockets"
expect_sandbox "CapabilityBoundingSet=~CAP_NET_ADMIN" "Service has network configuration privileges"
grep -qx 'RestrictSUIDSGID=yes' "$units/hermes-inspect.service" || fail "RestrictSUIDSGID=yes missing"
echo "ok: service and timer verified; sandbox in effect"
