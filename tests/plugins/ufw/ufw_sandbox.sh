#!/bin/sh
# Runs the shell commands in $1 against a throwaway ufw installation: ufw's
# state (/etc/ufw, /lib/ufw, /etc/default/ufw, /run) is replaced by private
# copies made from the package's pristine files, and the firewall it loads is
# that of a fresh network namespace. Run it as root:
#   sh tests/plugins/ufw/ufw_sandbox.sh 'ufw --force enable; ufw status verbose'
# It enters the namespaces itself (unshare -n -m) and checks, before mounting
# anything, that its network and mount namespaces differ from the caller's, so
# it can never change the host's firewall or ufw configuration.
set -eu

if [ "$(id -u)" != 0 ]; then
  echo "ufw_sandbox.sh: needs root" >&2
  exit 2
fi
if [ "$#" -eq 1 ]; then
  exec unshare -n -m sh "$0" --inside "$(readlink /proc/self/ns/net)" \
    "$(readlink /proc/self/ns/mnt)" "$1"
fi
if [ "$#" -ne 4 ] || [ "$1" != --inside ]; then
  echo "usage: sh $0 'COMMANDS'" >&2
  exit 2
fi
own_net=$(readlink /proc/self/ns/net)
own_mnt=$(readlink /proc/self/ns/mnt)
if [ -z "$2" ] || [ -z "$3" ] || [ -z "$own_net" ] || [ -z "$own_mnt" ] ||
   [ "$own_net" = "$2" ] || [ "$own_mnt" = "$3" ]; then
  echo "ufw_sandbox.sh: not in private network and mount namespaces; refusing" >&2
  exit 2
fi
shift 3

# unshare -m makes mounts private already; say so again so nothing below can
# propagate to the host.
mount --make-rprivate /
mount -t tmpfs -o mode=0755 ufw-sandbox /run
box=/run/ufw-sandbox
mkdir -p "$box/etc-ufw" "$box/lib-ufw"

# /etc/ufw as the package installs it: rules templates from /usr/share/ufw,
# application profiles from the host (read-only use), no sysctl changes.
for f in before.rules before6.rules after.rules after6.rules user.rules user6.rules \
         before.init after.init ufw.conf; do
  cp /usr/share/ufw/"$f" "$box/etc-ufw/$f"
done
chmod 0640 "$box"/etc-ufw/*.rules "$box"/etc-ufw/*.init
cp -a /etc/ufw/applications.d "$box/etc-ufw/applications.d"
: > "$box/etc-ufw/sysctl.conf"
cp -a /lib/ufw/. "$box/lib-ufw/"
sed -e 's/^DEFAULT_INPUT_POLICY=.*/DEFAULT_INPUT_POLICY="DROP"/' \
    -e 's/^DEFAULT_OUTPUT_POLICY=.*/DEFAULT_OUTPUT_POLICY="ACCEPT"/' \
    -e 's/^DEFAULT_FORWARD_POLICY=.*/DEFAULT_FORWARD_POLICY="DROP"/' \
    -e 's/^IPV6=.*/IPV6=yes/' \
    -e "s|^IPT_SYSCTL=.*|IPT_SYSCTL=/etc/ufw/sysctl.conf|" \
    /etc/default/ufw > "$box/default-ufw"
sed -i -e 's/^ENABLED=.*/ENABLED=no/' -e 's/^LOGLEVEL=.*/LOGLEVEL=low/' "$box/etc-ufw/ufw.conf"

mount --bind "$box/etc-ufw" /etc/ufw
mount --bind "$box/lib-ufw" /lib/ufw
mount --bind "$box/default-ufw" /etc/default/ufw

exec sh -c "$1"
