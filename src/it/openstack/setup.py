"""Get-or-create what the ITs expect in the cloud `start` runs, with Debian's openstacksdk and an admin connection.

Usage: python3 setup.py PHASE...   (start runs it; the environment carries the passwords)
  keystone   projects service/demo, users glance/nova/placement/neutron (service) and demo, their roles,
             the catalog's image/compute/placement/network services with public/internal/admin endpoints
  resources  image cirros (4 KB of fake bytes: the fake virt driver boots nothing), flavors m1.tiny/m1.small,
             networks public (external, flat) and private (shared, VLAN), router1 between them

Each object is looked up in one list call per kind and created only when missing, so a run on a cloud that has
everything makes reads only (16 requests, the token and version discovery included). A phase is retried (3
attempts, 3 s apart): services just started may refuse their first requests.
"""
import logging
import os
import sys
import time

import openstack

IP = "127.0.0.1"
# Set up as the cloud's admin whatever the caller's environment names: openstacksdk merges an OS_CLOUD (say
# openstack-lite-demo) into the explicit arguments below, and the demo user may not list projects.
for _name in [n for n in os.environ if n.startswith("OS_")]:
    del os.environ[_name]
logging.getLogger("openstack").setLevel(logging.ERROR)


def connect():
    return openstack.connect(auth_url="http://%s:5000/v3" % IP, username="admin", password=os.environ["OSL_ADMIN_PW"],
                             project_name="admin", user_domain_name="Default", project_domain_name="Default",
                             region_name="RegionOne", interface="public", identity_api_version="3")


def by_name(items, name):
    return next((x for x in items if x.name == name), None)


def keystone(c):
    idn = c.identity
    projects = list(idn.projects(domain_id="default"))
    roles = list(idn.roles())
    users = list(idn.users(domain_id="default"))
    granted = {(a.scope.get("project", {}).get("id"), (a.user or {}).get("id"), a.role["id"])
               for a in idn.role_assignments()}

    def project(name):
        return by_name(projects, name) or idn.create_project(name=name, domain_id="default", description=name)

    def role(name):
        return by_name(roles, name) or idn.create_role(name=name)

    def user(name, password, proj):
        return by_name(users, name) or idn.create_user(name=name, password=password, domain_id="default",
                                                      default_project_id=proj.id)

    def grant(proj, usr, rol):
        if (proj.id, usr.id, rol.id) not in granted:
            idn.assign_project_role_to_user(proj, usr, rol)

    admin_role, member_role, service_role = role("admin"), role("member"), role("service")
    service = project("service")
    for name in ("glance", "nova", "placement", "neutron"):
        u = user(name, os.environ["OSL_SVC_PW"], service)
        grant(service, u, admin_role)
        if name in ("nova", "neutron"):  # they send service tokens to each other
            grant(service, u, service_role)
    demo = project("demo")
    grant(demo, user("demo", "demo", demo), member_role)

    want = {"glance": ("image", 9292, ""), "nova": ("compute", 8774, "/v2.1"),
            "placement": ("placement", 8778, ""), "neutron": ("network", 9696, "")}
    services = list(idn.services())
    endpoints = list(idn.endpoints())
    for name, (stype, port, path) in want.items():
        s = next((x for x in services if x.type == stype), None) or idn.create_service(name=name, type=stype,
                                                                                        is_enabled=True)
        url = "http://%s:%d%s" % (IP, port, path)
        for iface in ("public", "internal", "admin"):
            e = next((x for x in endpoints if x.service_id == s.id and x.interface == iface), None)
            if e is None:
                idn.create_endpoint(service_id=s.id, interface=iface, url=url, region_id="RegionOne")
            elif e.url != url:
                idn.update_endpoint(e, url=url)
    print("keystone: users admin, demo and the service users; catalog identity, image, compute, placement, network")


def resources(c):
    img = by_name(c.image.images(name="cirros"), "cirros")
    if img is None:
        path = os.path.join(os.environ["OSL_STATE"], "fake-image.raw")
        with open(path, "wb") as f:
            f.write(b"openstack-lite fake image (fake virt driver, never booted)\n" + b"\0" * 4000)
        img = c.image.create_image("cirros", filename=path, disk_format="raw", container_format="bare",
                                   visibility="public", wait=True, timeout=60)
    elif img.visibility != "public":
        c.image.update_image(img, visibility="public")

    flavors = list(c.compute.flavors(is_public=None))
    for name, ram, disk, vcpus, fid in (("m1.tiny", 512, 1, 1, "1"), ("m1.small", 2048, 20, 1, "2")):
        if by_name(flavors, name) is None:
            c.compute.create_flavor(name=name, ram=ram, disk=disk, vcpus=vcpus, id=fid, is_public=True)

    net = c.network
    networks = list(net.networks(name=["public", "private"]))
    subnets = list(net.subnets(name=["public-subnet", "private-subnet"]))
    pub = by_name(networks, "public") or net.create_network(
        name="public", is_router_external=True, provider_network_type="flat", provider_physical_network="physnet1")
    if by_name(subnets, "public-subnet") is None:
        # a documentation range (TEST-NET-1): only ever stored in the database, no packet is sent
        net.create_subnet(name="public-subnet", network_id=pub.id, ip_version=4, cidr="192.0.2.0/24",
                          gateway_ip="192.0.2.1", is_dhcp_enabled=False,
                          allocation_pools=[{"start": "192.0.2.10", "end": "192.0.2.250"}])
    priv = by_name(networks, "private") or net.create_network(name="private", is_shared=True)
    privsub = by_name(subnets, "private-subnet") or net.create_subnet(
        name="private-subnet", network_id=priv.id, ip_version=4, cidr="10.0.0.0/24", gateway_ip="10.0.0.1",
        is_dhcp_enabled=False, dns_nameservers=[])
    r = by_name(net.routers(name="router1"), "router1") or net.create_router(
        name="router1", external_gateway_info={"network_id": pub.id})
    if not any(p.fixed_ips and p.fixed_ips[0]["subnet_id"] == privsub.id for p in net.ports(device_id=r.id)):
        net.add_interface_to_router(r, subnet_id=privsub.id)
    print("resources: image cirros, flavors m1.tiny/m1.small, networks public/private, router1")


def main(phases):
    unknown = [p for p in phases if p not in ("keystone", "resources")]
    if unknown or not phases:
        sys.exit("usage: setup.py keystone|resources...; unknown: %s" % " ".join(unknown))
    c = connect()
    for phase in phases:
        for attempt in (1, 2, 3):
            try:
                globals()[phase](c)
                break
            except Exception as e:  # noqa: BLE001 -- any failure of a just-started service is retried
                if attempt == 3:
                    sys.exit("%s setup failed: %s" % (phase, e))
                print("%s setup: %s; again in 3 s" % (phase, e), file=sys.stderr)
                time.sleep(3)


if __name__ == "__main__":
    main(sys.argv[1:])
