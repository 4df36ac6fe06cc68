#!/usr/bin/python3
"""The benchmark's peer: a raw concurrent OpenStack client, written with Debian's python3-openstacksdk.

For each N it creates N servers at once (N threads, one POST each), polls with one list call per tick until all
are ACTIVE, then deletes them at once (one DELETE each) and polls until none is left. It prints the wall times and
the API requests, counted on the HTTP session every call goes through (token, lookups and version discovery are
made once, before the first N, and counted apart). What a well-written client does without any tool: the yardstick
for itsvc's openstack target (issue 6, point 8).

Usage: openstack-peer.py [--cloud openstack-lite] [--counts 1,10,30] [--poll 1.0] [--json FILE]
The cloud is read from clouds.yaml (src/it/openstack/start writes /etc/openstack/clouds.yaml). Every server it
made is deleted, also when a run fails or is interrupted.
"""
import argparse
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import openstack
from keystoneauth1.session import TCPKeepAliveAdapter


class Counter:
    """Counts the HTTP responses of the connection's session (a requests response hook)."""

    def __init__(self):
        self.n = 0
        self.lock = threading.Lock()

    def hook(self, response, *args, **kwargs):
        with self.lock:
            self.n += 1

    def take(self):
        with self.lock:
            n, self.n = self.n, 0
            return n


def poll(conn, prefix, done, what, timeout, tick):
    """One list call per tick until done(servers) is true; a server in ERROR fails the run with Nova's fault."""
    end = time.monotonic() + timeout
    while True:
        servers = list(conn.compute.servers(details=True, name="^%s-" % prefix))
        failed = [s for s in servers if s.status == "ERROR"]
        if failed:
            raise RuntimeError("%s: %d servers in ERROR, first: %s: %s" % (what, len(failed), failed[0].name,
                                                                           (failed[0].fault or {}).get("message")))
        if done(servers):
            return
        if time.monotonic() > end:
            raise RuntimeError("%s: not done after %d s" % (what, timeout))
        time.sleep(tick)


def run(conn, counter, n, ids, args):
    prefix = "peer-%d-%d-n%d" % (os.getpid(), time.time(), n)
    pool = ThreadPoolExecutor(max_workers=n)
    counter.take()

    t0 = time.monotonic()
    servers = list(pool.map(lambda i: conn.compute.create_server(
        name="%s-%d" % (prefix, i), image_id=ids["image"], flavor_id=ids["flavor"],
        networks=[{"uuid": ids["network"]}]), range(n)))
    poll(conn, prefix, lambda ss: sum(s.status == "ACTIVE" for s in ss) == n, "create", args.timeout, args.poll)
    create_s, create_req = time.monotonic() - t0, counter.take()

    t0 = time.monotonic()
    list(pool.map(lambda s: conn.compute.delete_server(s.id), servers))
    poll(conn, prefix, lambda ss: not ss, "delete", args.timeout, args.poll)
    delete_s, delete_req = time.monotonic() - t0, counter.take()
    pool.shutdown()
    return {"n": n, "create_s": round(create_s, 2), "create_requests": create_req,
            "delete_s": round(delete_s, 2), "delete_requests": delete_req,
            "requests_per_server": round((create_req + delete_req) / n, 2)}


def cleanup(conn, tag):
    """Delete every server this process made (its names carry the pid), and wait until they are gone."""
    left = list(conn.compute.servers(name="^peer-%d-" % os.getpid()))
    for s in left:
        conn.compute.delete_server(s.id, ignore_missing=True)
    for s in left:
        try:
            conn.compute.wait_for_delete(s, interval=2, wait=900)
        except openstack.exceptions.SDKException as e:  # report, and let the run's own error be the one raised
            print("%s: server %s not deleted: %s" % (tag, s.name, e), file=sys.stderr)
    if left:
        print("%s: deleted %d servers left by the run" % (tag, len(left)), file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cloud", default=os.environ.get("OS_CLOUD", "openstack-lite"))
    p.add_argument("--counts", default="1,10,30", help="the Ns, comma-separated")
    p.add_argument("--poll", type=float, default=1.0, help="seconds between list calls")
    p.add_argument("--timeout", type=float, default=900, help="seconds per phase (40 s do at N = 30 on an idle machine)")
    p.add_argument("--image", default="cirros")
    p.add_argument("--flavor", default="m1.tiny")
    p.add_argument("--network", default="private")
    p.add_argument("--json", help="also write the figures to this file")
    args = p.parse_args()
    counts = [int(x) for x in args.counts.split(",")]

    conn = openstack.connect(cloud=args.cloud)
    counter = Counter()
    http = conn.session.session  # the requests.Session below keystoneauth: every call of the connection
    http.hooks["response"].append(counter.hook)
    # one pooled connection per concurrent request, instead of requests' default of 10
    http.mount("http://", TCPKeepAliveAdapter(pool_maxsize=max(counts) + 4))
    http.mount("https://", TCPKeepAliveAdapter(pool_maxsize=max(counts) + 4))

    load0 = os.getloadavg()
    # once per run: token, version discovery, names to ids
    ids = {"image": conn.image.find_image(args.image, ignore_missing=False).id,
           "flavor": conn.compute.find_flavor(args.flavor, ignore_missing=False).id,
           "network": conn.network.find_network(args.network, ignore_missing=False).id}
    setup_req = counter.take()
    print("openstack-peer: cloud %s, image %s, flavor %s, network %s, poll every %.1f s; load average %.2f %.2f %.2f"
          % (args.cloud, args.image, args.flavor, args.network, args.poll, *load0), flush=True)
    print("once per run (token, version discovery, name lookups): %d requests" % setup_req, flush=True)
    print("%4s  %9s  %10s  %9s  %10s  %11s" % ("N", "create s", "create req", "delete s", "delete req", "req/server"),
          flush=True)
    results = []
    try:
        for n in counts:
            r = run(conn, counter, n, ids, args)
            results.append(r)
            print("%4d  %9.1f  %10d  %9.1f  %10d  %11.2f" % (n, r["create_s"], r["create_requests"], r["delete_s"],
                                                            r["delete_requests"], r["requests_per_server"]), flush=True)
    finally:
        cleanup(conn, "openstack-peer")
    load1 = os.getloadavg()
    print("load average at the end: %.2f %.2f %.2f" % load1)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cloud": args.cloud, "poll_s": args.poll, "setup_requests": setup_req,
                       "load_start": load0, "load_end": load1, "runs": results}, f, indent=2)


if __name__ == "__main__":
    main()
