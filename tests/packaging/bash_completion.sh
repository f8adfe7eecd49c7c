#!/usr/bin/env bash
# The bash completion loads in a plain bash and completes subcommands,
# options, formats, baselines and signals, the latter two from the installed
# executable. Usage: bash_completion.sh SOURCE_DIR BINARY
source "$(dirname "$0")/lib.sh"
src=$1 binary=$2

# complete WORD... : what TAB offers after the words, the last being the one
# under the cursor; one candidate a line, sorted.
complete_words() {
    bash --norc --noprofile -c '
        source "$1"; shift
        complete -p hermes-inspect >/dev/null || exit 3
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _hermes_inspect hermes-inspect "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}" | sort' \
        bash "$src/packaging/bash-completion/hermes-inspect" "$@"
}

expect() {
    local want=$1; shift
    local got
    got=$(complete_words "$@") || fail "completion script did not load (complete -p hermes-inspect)"
    [ "$got" = "$want" ] || fail "completing '$*': expected [$(echo $want)], got [$(echo $got)]"
}

expect "run" hermes-inspect r
expect "$(printf '%s\n' baseline baselines)" hermes-inspect base
expect "check" hermes-inspect baseline c
expect "$(printf '%s\n' json jsonl)" hermes-inspect run --format j
expect "prometheus" hermes-inspect run --format = p
expect "$(printf '%s\n' --jobs --json)" hermes-inspect list --j
expect "--strict" hermes-inspect run --baseline minimal --st
# From the executable: the shipped baselines, the bundled plugins' signals.
expect "minimal" "$binary" run --baseline mi
expect "$(printf '%s\n' ssh-password-auth ssh-root-login)" "$binary" explain ssh-
expect "ufw,fail2ban" "$binary" run --only ufw,fail
echo "ok: bash completion loads and completes"
