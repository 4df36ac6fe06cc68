#!/usr/bin/env bash
# The no-op sync benchmark (issue 5: "a no-op sync takes under 2 s beyond Maven's start"): on the beta appliance the
# invoker IT release-promote-sync-two-subscribers leaves behind (its trusted state says 1.1.0 runs and channel beta
# has nothing new), runs `mvn itsvc:sync -Ditsvc.site=beta` (fetch the channel and tags from the upstream's git daemon
# on loopback, find nothing new, rewrite the status page) and, as the baseline, the same command with
# -Ditsvc.skip=true (Maven's start, the project read, the plugin loaded, nothing done), alternately, and prints the
# medians and the difference: what sync itself costs.
# Figures: itsvc-maven-plugin/src/site/markdown/benchmarks.md.
#
# Usage: itsvc-maven-plugin/src/test/bench/noop-sync.sh [--runs N]
#   first: ./mvnw -B verify -pl itsvc-archetype -am -Dinvoker.test='setup-*,release-promote-sync-two-subscribers'
# Environment: JAVA_HOME.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
it="$root/itsvc-archetype/target/it/release-promote-sync-two-subscribers"
runs=7
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || { echo "--runs needs a value" >&2; exit 2; }; runs="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -f "$it/svc/subscriptions/team-wiki/beta/state.json" ]; then
  echo "no appliance to sync in $it: run the IT first (see --help)" >&2
  exit 2
fi
echo "== $(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"

# The upstream again, on the port the appliance's subscription names.
url="$(cat "$it/upstream.url")"
port="${url#git://127.0.0.1:}"; port="${port%%/*}"
git daemon --export-all --reuseaddr --base-path="$it/svc/upstream" --port="$port" --listen=127.0.0.1 \
    "$it/svc/upstream" >/dev/null 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# The IT's own settings and repository, as the invoker ran it (settings.xml falls back to ~/.m2).
settings="$(mktemp)"
trap 'kill "$daemon" 2>/dev/null || true; rm -f "$settings"' EXIT
sed "s|@localRepositoryUrl@|file://$HOME/.m2/repository|" "$root/src/it/settings.xml" > "$settings"
maven=("$root/mvnw" -B -q -s "$settings" -Dmaven.repo.local="$root/itsvc-archetype/target/local-repo"
       -f "$it/svc/beta/pom.xml" itsvc:sync -Ditsvc.site=beta -Ditsvc.subscriptionsDirectory=../subscriptions)
seconds() { local start end; start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N); echo "scale=3; ($end - $start) / 1000000000" | bc; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

"${maven[@]}" >/dev/null # warm-up: the first run also fills the file cache
sync=(); skip=()
for i in $(seq "$runs"); do
  sync+=("$(seconds "${maven[@]}")")
  skip+=("$(seconds "${maven[@]}" -Ditsvc.skip=true)")
  echo "run $i: sync ${sync[-1]} s, skipped ${skip[-1]} s" >&2
done
s=$(printf '%s\n' "${sync[@]}" | median)
b=$(printf '%s\n' "${skip[@]}" | median)
printf '%-44s %8s\n' "mvn itsvc:sync, nothing new (median)" "$s s"
printf '%-44s %8s\n' "the same with -Ditsvc.skip (Maven's start)" "$b s"
printf '%-44s %8s\n' "sync's own cost" "$(echo "$s - $b" | bc) s"
