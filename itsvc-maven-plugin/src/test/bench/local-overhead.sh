#!/usr/bin/env bash
# Benchmark (issue 4): the wall time of `mvn verify` on the generated service beside the time Tomcat alone takes
# to start, from the same files, in one run. The difference is what itsvc adds: Maven's start, verify-binaries from
# a warm cache, render, provision, the check, failsafe, destroy. A breakdown of every `mvn verify` shows where that
# goes: Maven's start (JVM and project model, until the first goal), each goal (from its log line to the next one),
# Maven's end, and how long test-deployment's check waited for Tomcat.
#
# Usage: itsvc-maven-plugin/src/test/bench/local-overhead.sh [RUNS]     (default 3; itsvc must be installed:
#        ./mvnw install -DskipTests -Dinvoker.skip, or into a repository of its own through MAVEN_ARGS, e.g.
#        MAVEN_ARGS="-Dmaven.repo.local=/tmp/m2 -Dmaven.repo.local.tail=$HOME/.m2/repository", which Maven reads)
# Prints the breakdown and one table: median and min of each, in seconds. On a loaded machine min says more.
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
# Seconds since midnight (UTC, as Maven's log) of now, or of a HH:mm:ss.SSS time.
clock() { date -u +%H:%M:%S.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minimum() { sort -n | head -1; }

# One verify's breakdown, "name seconds" per line, from its timestamped log and the wall clock around it.
breakdown() { # start end log
    awk -v start="$1" -v end="$2" '
        function secs(t,  p) { split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
        function span(a, b) { d = b - a; return d < 0 ? d + 86400 : d }
        /^[0-9:.]+ \[INFO\] --- / {
            t = secs($1); if (name != "") print name, span(last, t); else print "maven-start", span(secs(start), t)
            name = $4; sub(/:[^:]*:/, ":", name); last = t }
        /^[0-9:.]+ \[INFO\] BUILD SUCCESS/ { t = secs($1); print name, span(last, t); print "maven-end", span(t, secs(end)) }
    ' "$3"
    # test-deployment waiting for Tomcat: the check's own duration, from its JUnit report.
    sed -n 's/.*<testcase [^>]*time="\([0-9.]*\)".*/check-wait \1/p' target/itsvc-reports/TEST-itsvc-dev.xml | head -1
}

verify_times=()
own_times=()
: >"$work/breakdown"
for _ in $(seq "$runs"); do
    c0=$(clock); t0=$(now)
    /usr/bin/time -f '%U %S' -o "$work/cpu" "$mvn" -B -o verify -Dorg.slf4j.simpleLogger.showDateTime=true \
        -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS >"$work/verify.log" 2>&1 \
        || { cat "$work/verify.log" >&2; exit 1; }
    t1=$(now); c1=$(clock)
    verify_times+=("$(echo "$t1 - $t0" | bc)")
    breakdown "$c0" "$c1" "$work/verify.log" >"$work/run"
    cat "$work/run" >>"$work/breakdown"
    # The plugin's own share (issue 4's figure): its goals' wall time less the check's wait for Tomcat to start.
    own_times+=("$(awk '$1 ~ /^itsvc:/ {s += $2} $1 == "check-wait" {w = $2} END {print s - w}' "$work/run")")
    # CPU of Maven and failsafe's fork (Tomcat is detached, not counted): what the load cannot stretch.
    echo "cpu-maven+failsafe $(awk '{print $1 + $2}' "$work/cpu")" >>"$work/breakdown"
done

# Tomcat alone, from the very files itsvc provisioned: keep one deployment, copy its instance root, tear it down.
"$mvn" -q -B -o verify -Ditsvc.keep >/dev/null
cp -a .itsvc/dev/web-1/root "$work/tomcat-root"
"$mvn" -q -B -o itsvc:destroy >/dev/null
port="$(sed -n 's/.*<Connector[^>]*port="\([0-9]*\)".*/\1/p' "$work/tomcat-root/opt/tomcat/conf/server.xml" | head -1)"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
tomcat_times=()
tomcat_cpus=()
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
    # Its CPU so far (user + system, in clock ticks): what the load cannot stretch, to set beside Maven's.
    tomcat_cpus+=("$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat")")
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    tomcat_times+=("$(echo "$t1 - $t0" | bc)")
done

v_med=$(printf '%s\n' "${verify_times[@]}" | median); v_min=$(printf '%s\n' "${verify_times[@]}" | minimum)
t_med=$(printf '%s\n' "${tomcat_times[@]}" | median); t_min=$(printf '%s\n' "${tomcat_times[@]}" | minimum)
echo
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-52s %8s %8s\n' "where mvn -o verify's time goes ($runs runs)" "median" "min"
awk '!seen[$1]++ {print $1}' "$work/breakdown" | while read -r part; do
    values="$(awk -v p="$part" '$1 == p {print $2}' "$work/breakdown")"
    printf '  %-50s %8.2f %8.2f\n' "$part" "$(echo "$values" | median)" "$(echo "$values" | minimum)"
done
echo
printf '%-52s %8s %8s\n' "what ($runs runs)" "median" "min"
printf '%-52s %8.2f %8.2f\n' "mvn -o verify (whole lifecycle, Tomcat up and down)" "$v_med" "$v_min"
printf '%-52s %8.2f %8.2f\n' "Tomcat alone: start until the page answers" "$t_med" "$t_min"
printf '%-52s %8.2f %8.2f\n' "itsvc + Maven beyond Tomcat's start" "$(echo "$v_med - $t_med" | bc)" "$(echo "$v_min - $t_min" | bc)"
printf '%-52s %8.2f %8.2f\n' "  of it itsvc's goals (check's wait for Tomcat excluded)" \
    "$(printf '%s\n' "${own_times[@]}" | median)" "$(printf '%s\n' "${own_times[@]}" | minimum)"
printf '%-52s %8.2f %8.2f\n' "Tomcat alone: its CPU until the page answers" \
    "$(printf '%s\n' "${tomcat_cpus[@]}" | median)" "$(printf '%s\n' "${tomcat_cpus[@]}" | minimum)"
