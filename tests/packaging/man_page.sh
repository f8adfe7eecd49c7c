#!/usr/bin/env bash
# hermes-inspect(1) renders without a single groff or man warning, and the
# built hermes-inspect.1.gz is the source compressed with gzip -n.
# Usage: man_page.sh SOURCE_DIR BUILT_GZ
source "$(dirname "$0")/lib.sh"
src=$1 gz=$2 page=$1/packaging/man/hermes-inspect.1
need groff groff-base
need man man-db

warnings=$(groff -ww -z -man -Tutf8 "$page" 2>&1) || fail "groff failed: $warnings"
[ -z "$warnings" ] || fail "groff warnings: $warnings"

# The check lintian makes on every manual page.
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null) ||
    fail "man failed: $warnings"
[ -z "$warnings" ] || fail "man warnings: $warnings"

# man-db drops the overstrike formatting when the output is not a terminal.
text=$(MANWIDTH=80 man -l "$gz" 2>/dev/null)
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" FILES; do
    grep -qx "$section" <<<"$text" || fail "section $section missing from the rendered page"
done
grep -q "hermes-inspect - is this host's perimeter locked down?" <<<"$text" || fail "NAME line missing"

cmp -s <(gzip -dc "$gz") "$page" || fail "$gz is not packaging/man/hermes-inspect.1"
# gzip -n: the header's FLG byte has no FNAME bit and MTIME is zero.
header=$(od -An -tx1 -N8 "$gz" | tr -d ' \n')
[ "$header" = 1f8b080000000000 ] || fail "$gz was not made with gzip -n (header $header)"
echo "ok: man page renders cleanly and is compressed reproducibly"
