#!/usr/bin/env bash
# itsvc's side of openstack-bench.sh (issue 6, point 8): for each N, provision a role of N servers on the cloud with
# the openstack target (until all are ACTIVE), then destroy it (until nothing is left), timed, with the API requests
# counted; the figures in the peer's JSON shape ({"runs": [{"n", "create_s", "delete_s", "requests_per_server"}...]}).
# It runs io.github.itsvc.target.openstack.OpenStackBench (the same Provisioner and target as mvn itsvc:provision
# and itsvc:destroy, one token per phase as each Maven run has, without Maven's own start-up).
#
# Usage: itsvc-maven-plugin/src/test/bench/openstack-bench-itsvc.sh CLOUD COUNTS JSON [POLL_SECONDS]
#   e.g. openstack-bench-itsvc.sh openstack-lite 1,10,30 /tmp/out/itsvc.json 1.0
# Environment: JAVA_TOOL_OPTIONS=-Ditsvc.bench.breakdown=true prints the requests per call and the target's log with times.
# Needs the cloud running (sudo src/it/openstack/start); image cirros, flavor m1.tiny and one non-external network.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
cd "$root"
cp_file="itsvc-maven-plugin/target/openstack-bench.classpath"
./mvnw -B -ntp -q -pl itsvc-maven-plugin test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$root/$cp_file" >/dev/null
java -cp "itsvc-maven-plugin/target/classes:itsvc-maven-plugin/target/test-classes:$(cat "$cp_file")" \
    io.github.itsvc.target.openstack.OpenStackBench "$@"
