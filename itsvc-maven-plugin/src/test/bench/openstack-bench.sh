#!/usr/bin/env bash
# Benchmark (issue 6, point 8): create then delete N = 1, 10, 30 servers on the local OpenStack
# (src/it/openstack/start), with itsvc and beside it with a raw concurrent client, its peer, in one run; wall times
# and API requests per server. What it measures and the figures: itsvc-maven-plugin/src/site/markdown/benchmarks.md.
#
# Usage: itsvc-maven-plugin/src/test/bench/openstack-bench.sh [--counts 1,10,30] [--cloud openstack-lite]
#                                                           [--poll 1.0]
# Needs the cloud running (sudo src/it/openstack/start) and /etc/openstack/clouds.yaml; not root.
# Environment: OUT (a folder for the JSON figures; default a temporary one, deleted at the end).
set -euo pipefail
# Debian's python3 and its openstacksdk (a pyenv or venv python3 earlier in PATH lacks them)
export PATH="/usr/bin:/bin:$PATH"
bench="$(cd "$(dirname "$0")" && pwd)"
counts=1,10,30
cloud=openstack-lite
poll=1.0
while [ $# -gt 0 ]; do
  case "$1" in
    --counts|--cloud|--poll) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
                             declare "${1#--}=$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -r /etc/openstack/clouds.yaml ] || [ -r "$HOME/.config/openstack/clouds.yaml" ] || [ -r clouds.yaml ] || {
  echo "no clouds.yaml: start the cloud first (sudo src/it/openstack/start)" >&2; exit 1; }
out="${OUT:-}"
if [ -z "$out" ]; then out="$(mktemp -d -t itsvc-openstack-bench.XXXXXX)"; trap 'rm -rf "$out"' EXIT; fi
mkdir -p "$out"

echo "== $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')),"\
     "$(date -u +%FT%TZ), uptime: $(uptime)"

echo "== the peer: raw concurrent openstacksdk client"
python3 "$bench/openstack-peer.py" --cloud "$cloud" --counts "$counts" --poll "$poll" --json "$out/peer.json"

echo "== itsvc: the openstack target (the same Provisioner as mvn itsvc:provision / itsvc:destroy)"
"$bench/openstack-bench-itsvc.sh" "$cloud" "$counts" "$out/itsvc.json" "$poll"

echo "== itsvc beside the peer (targets: within 1.15x of the peer's times at every N; at most 5 requests per server at N >= 10)"
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
peer = {r["n"]: r for r in json.load(open(os.path.join(out, "peer.json")))["runs"]}
path = os.path.join(out, "itsvc.json")
if not os.path.exists(path):
    sys.exit("itsvc: no figures (its side failed: see above)")
print("%4s  %17s  %17s  %16s" % ("N", "create itsvc/peer", "delete itsvc/peer", "itsvc req/server"))
for r in json.load(open(path))["runs"]:
    p = peer.get(r["n"])
    if p:
        print("%4d  %17.2f  %17.2f  %16.2f" % (r["n"], r["create_s"] / p["create_s"], r["delete_s"] / p["delete_s"],
                                               r["requests_per_server"]))
PY
echo "== uptime at the end: $(uptime)"
