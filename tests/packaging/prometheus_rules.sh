#!/usr/bin/env bash
# The example alert rules load (promtool check rules) and fire for the right
# host and signal only (promtool test rules, scenarios in rules_test.yml).
# Usage: prometheus_rules.sh SOURCE_DIR
source "$(dirname "$0")/lib.sh"
src=$1
need promtool prometheus

promtool check rules "$src/packaging/prometheus/hermes-inspect.rules.yml" ||
    fail "promtool check rules rejected packaging/prometheus/hermes-inspect.rules.yml"
promtool test rules "$src/tests/packaging/rules_test.yml" ||
    fail "the alert rules did not behave as rules_test.yml expects"
echo "ok: alert rules load and pass their scenarios"
