# Shared by the packaging checks: sourced, never run.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }

# A missing tool fails the check: CI installs every one of them.
need() {
    command -v "$1" >/dev/null || fail "$1 not found: install Debian package $2 (packaging/bootstrap.sh --tests)"
}

# A scratch directory removed when the script exits.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/hi-packaging.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
