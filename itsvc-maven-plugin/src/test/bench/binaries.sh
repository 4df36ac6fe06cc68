#!/usr/bin/env bash
# The binaries benchmark (issue 3): verifies one large file of random bytes cold (an empty cache: fetched over HTTP
# from a publisher on 127.0.0.1 that sends it with sendfile, hashed while it streams into the cache; also with its
# SHA-512 pinned in service.yaml, and from the JDK's HttpServer) and warm (its unchanged cache entry re-verified),
# beside `openssl dgst -sha256` and `-sha512` on the same file in the same run, and prints one table (per-round
# figures and the publisher's CPU share go to stderr).
# What it measures and the figures: itsvc-maven-plugin/src/site/markdown/benchmarks.md.
#
# Usage: itsvc-maven-plugin/src/test/bench/binaries.sh [--size SIZE] [-o] [--skip-build] [BENCHMARK OPTIONS]
#   --size SIZE        the file's size: bytes, or with K, M or G (powers of 1024); default 1G. 256M for a quick run
#   -o, --offline      build with Maven offline
#   --skip-build       use the test classes and classpath of the last run
#   BENCHMARK OPTIONS  --runs N (5), --warmup N (1), --warm-runs N (20 per run), --openssl auto|off
# Environment: TMPDIR (the file and the caches go there: needs twice SIZE free), JAVA_HOME, JAVA_OPTS.
set -euo pipefail
plugin="$(cd "$(dirname "$0")/../../.." && pwd)"
root="$(cd "$plugin/.." && pwd)"
# Pinned: build-classpath of this version resolves from what a build of itsvc already downloaded.
dependency_plugin="org.apache.maven.plugins:maven-dependency-plugin:3.7.0"

size=1G
build=1
maven=(-B -q)
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --size) [ $# -ge 2 ] || { echo "--size needs a value" >&2; exit 2; }; size="$2"; shift 2 ;;
    -o|--offline) maven+=(-o); shift ;;
    --skip-build) build=0; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [[ ! "$size" =~ ^[1-9][0-9]*([KMG](iB)?)?$ ]]; then
  echo "--size: not a size: $size (e.g. 4096, 64K, 256M, 1G)" >&2
  exit 2
fi

echo "== $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')),"\
     "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"

if [ "$build" = 1 ]; then
  echo "== building the test classes and the test classpath"
  "$root/mvnw" "${maven[@]}" -f "$root/pom.xml" -pl itsvc-maven-plugin -am test-compile \
    "$dependency_plugin:build-classpath" -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
fi
classpath="$plugin/target/test-classes:$plugin/target/classes:$(cat "$plugin/target/bench.classpath")"

work="$(mktemp -d "${TMPDIR:-/tmp}/itsvc-bench.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
echo "== making $size of random bytes in $work"
head -c "$size" /dev/urandom > "$work/binary.bin"

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
"$java" ${JAVA_OPTS:-} -cp "$classpath" io.github.itsvc.binaries.BinariesBenchmark \
  --file "$work/binary.bin" --work "$work/run" ${args[@]+"${args[@]}"}
