#!/usr/bin/env bash
# Verifies deploy/ on this machine (no Docker needed), bounded in time and on 127.0.0.1 only:
#  1. the dashboards JSON is what deploy/grafana/generate.py produces;
#  2. DeployFilesTest: every YAML/JSON file parses; config keys and TAINTWATCH_* variables in compose/k8s are documented
#     (Keys.java, docs/configuration.md); ports, service names, probes, mounts and paths agree;
#  3. DashboardQueriesIT: promtool check rules/config, a real Prometheus scraping `taintwatch demo` every second, then
#     every dashboard expression must parse and return data, every alerting rule must parse and evaluate cleanly.
# Needs prometheus + promtool (apt-get install prometheus; .ci/run installs it). ./run-tests runs 2 and 3 as well.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/java-home.sh
python3 deploy/grafana/generate.py --check
exec timeout 900 ./mvnw -B -q -pl monitor-app -am verify -Dtest=DeployFilesTest -Dit.test=DashboardQueriesIT \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@"
