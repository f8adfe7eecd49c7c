#!/usr/bin/env bash
# packaging/ansible/inspect.yml against localhost over the local connection,
# install step skipped and the built executable surveyed: the report lands on
# the "controller", is valid against the report schema, and the summary line
# agrees with it. Usage: ansible_survey.sh SOURCE_DIR BINARY SCHEMA
source "$(dirname "$0")/lib.sh"
src=$1 binary=$2 schema=$3
need ansible-playbook ansible-core
need python3 python3

reports=$scratch/reports
export ANSIBLE_LOCAL_TEMP=$scratch/ansible-local ANSIBLE_REMOTE_TEMP=$scratch/ansible-remote
export ANSIBLE_RETRY_FILES_ENABLED=false ANSIBLE_NOCOLOR=1 ANSIBLE_STDOUT_CALLBACK=default
export TMPDIR=$scratch
ansible-playbook -i localhost, -c local "$src/packaging/ansible/inspect.yml" \
    -e ansible_python_interpreter=/usr/bin/python3 \
    -e hermes_inspect_install=false -e hermes_inspect_become=false \
    -e "hermes_inspect_binary=$binary" -e "hermes_inspect_reports_dir=$reports" ||
    fail "ansible-playbook failed"

[ -f "$reports/localhost.json" ] || fail "no report fetched to $reports/localhost.json"
[ -f "$reports/summary.txt" ] || fail "no summary written to $reports/summary.txt"

python3 - "$reports/localhost.json" "$reports/summary.txt" "$schema" <<'PY' || fail "report or summary wrong"
import json, sys, jsonschema
report_path, summary_path, schema_path = sys.argv[1:]
report = json.load(open(report_path))
jsonschema.validate(report, json.load(open(schema_path)))
lines = open(summary_path).read().splitlines()
assert len(lines) == 1, f"one host, so one summary line, got {lines!r}"
host, *pairs = lines[0].split(" ")
fields = dict(p.split("=", 1) for p in pairs)
assert host == "localhost", host
assert fields["baseline"] == report["baseline"] == "minimal", fields
assert fields["satisfied"] == str(report["satisfied"]).lower(), fields
missing = list(dict.fromkeys(report["missing"]))
assert fields["missing"] == (",".join(missing) or "-"), (fields, missing)
print("summary:", lines[0])
PY
# The playbook cleans up after itself on the host.
leftovers=$(find "$scratch" -maxdepth 1 -name 'ansible.*.json')
[ -z "$leftovers" ] || fail "report left on the host: $leftovers"
echo "ok: playbook gathered a valid report and a matching summary"
