#!/usr/bin/env bash
# Benchmark (issue 4): the wall time of `mvn verify` on the generated service beside the time Tomcat alone takes
# to start, from the same files, in one run. The difference is what itsvc adds: Maven's start, verify-binaries from
# a warm cache, render, provision, the check, destroy.
#
# Usage: itsvc-maven-plugin/src/test/bench/local-overhead.sh [RUNS]     (default 3; itsvc must be installed:
#        ./mvnw install -DskipTests -Dinvoker.skip)
# Prints one table: median and min of each, in seconds.
set -euo pipefail
runs="${1:-3}"
itsvc="$(cd "$(dirname "$0")/../../../.." && pwd)"
mvn="$itsvc/mvnw"
version="$("$mvn" -q -f "$itsvc/pom.xml" help:evaluate -Dexpression=project.version -DforceStdout)"
work="$(mktemp -d -t itsvc-bench.XXXXXX)"
trap 'cd /; (cd "$work/team-wiki" 2>/dev/null && "$mvn" -q -o itsvc:destroy >/dev/null 2>&1) || true; rm -rf "$work"' EXIT

(cd "$work" && "$mvn" -q -B archetype:generate -DarchetypeGroupId=io.github.itsvc \
    -DarchetypeArtifactId=itsvc-archetype -DarchetypeVersion="$version" -DgroupId=com.example -DartifactId=team-wiki)
cd "$work/team-wiki"
"$mvn" -q -B verify >/dev/null            # warm: Maven's repositories, the binary cache, the JIT of nothing

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minimum() { sort -n | head -1; }

verify_times=()
for _ in $(seq "$runs"); do
    t0=$(now); "$mvn" -q -B -o verify >/dev/null; t1=$(now)
    verify_times+=("$(echo "$t1 - $t0" | bc)")
done

# Tomcat alone, from the very files itsvc provisioned: keep one deployment, copy its instance root, tear it down.
"$mvn" -q -B -o verify -Ditsvc.keep >/dev/null
cp -a .itsvc/dev/web-1/root "$work/tomcat-root"
"$mvn" -q -B -o itsvc:destroy >/dev/null
port="$(sed -n 's/.*<Connector[^>]*port="\([0-9]*\)".*/\1/p' "$work/tomcat-root/opt/tomcat/conf/server.xml" | head -1)"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
tomcat_times=()
for _ in $(seq "$runs"); do
    t0=$(now)
    if curl -fs "http://127.0.0.1:$port/" >/dev/null; then echo "port $port is already served" >&2; exit 1; fi
    # catalina.sh run execs java: $! is Tomcat's own pid.
    (cd "$work/tomcat-root" && JAVA_HOME="$java_home" exec opt/tomcat/bin/catalina.sh run >"$work/tomcat.log" 2>&1) &
    pid=$!
    until curl -fs "http://127.0.0.1:$port/" | grep -q team-wiki; do
        kill -0 "$pid" 2>/dev/null || { echo "Tomcat died:" >&2; cat "$work/tomcat.log" >&2; exit 1; }
        sleep 0.05
    done
    t1=$(now)
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    tomcat_times+=("$(echo "$t1 - $t0" | bc)")
done

v_med=$(printf '%s\n' "${verify_times[@]}" | median); v_min=$(printf '%s\n' "${verify_times[@]}" | minimum)
t_med=$(printf '%s\n' "${tomcat_times[@]}" | median); t_min=$(printf '%s\n' "${tomcat_times[@]}" | minimum)
echo
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %8s %8s\n' "what ($runs runs)" "median" "min"
printf '%-44s %8.2f %8.2f\n' "mvn -o verify (whole lifecycle, Tomcat up and down)" "$v_med" "$v_min"
printf '%-44s %8.2f %8.2f\n' "Tomcat alone: start until the page answers" "$t_med" "$t_min"
printf '%-44s %8.2f %8.2f\n' "itsvc + Maven beyond Tomcat's start" "$(echo "$v_med - $t_med" | bc)" "$(echo "$v_min - $t_min" | bc)"
