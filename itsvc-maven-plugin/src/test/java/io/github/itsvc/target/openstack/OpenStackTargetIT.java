package io.github.itsvc.target.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.itsvc.check.CheckRunner;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.render.Renderer;
import io.github.itsvc.target.Change;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Provisioner;
import io.github.itsvc.target.TargetException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.ServiceType;
import org.openstack4j.model.compute.Server;
import org.openstack4j.openstack.internal.OSClientSession;

/**
 * The openstack target against a real OpenStack (Keystone, Glance, Placement, Nova with the fake driver, Neutron) on
 * loopback, as the project's cloud script starts it: run in the {@code openstack} profile only. The fake driver runs
 * nothing, so these tests check what reached the cloud: servers, their metadata and user-data (read back as admin at
 * compute microversion 2.3 and validated with {@code cloud-init schema}), ports, groups, key pair.
 *
 * <p>Clouds: {@code openstack-lite-demo} (what a user's project sees) for the target, {@code openstack-lite} (admin)
 * only to read user-data back. Each test uses its own site, so they never touch each other's resources.
 */
class OpenStackTargetIT {

    static final String CLOUD = System.getProperty("itsvc.it.cloud", "openstack-lite-demo");
    static final String ADMIN_CLOUD = System.getProperty("itsvc.it.adminCloud", "openstack-lite");
    static final String SERVICE = "itsvc-it";

    @TempDir
    Path project;

    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    /** What the target and provisioner tell, kept for assertions and printed with the time, for the figures. */
    final java.util.function.Consumer<String> sink = line -> {
        System.out.println("[openstack IT " + java.time.LocalTime.now().withNano(0) + "] " + line);
        log.add(line);
    };

    @Test
    void provisionKeepReplaceScaleDestroy() throws Exception {
        String site = "life";
        write(site, 3, "v1");
        destroy(site); // whatever an earlier, failed run left

        // 1. Three instances, all ACTIVE, with their metadata and user-data.
        long t0 = System.nanoTime();
        Run first = provision(site);
        report("provision 3 servers", t0, first);
        assertThat(first.result.plan().changes()).extracting(Change::action).containsOnly(Change.Action.CREATE)
                .hasSize(3);
        assertThat(first.result.instances()).hasSize(3).allMatch(Instance::running);
        List<Server> servers = servers(first.cloud, site);
        assertThat(servers).hasSize(3).allMatch(s -> s.getStatus() == Server.Status.ACTIVE);
        for (Server s : servers) {
            Map<String, String> m = s.getMetadata();
            String instance = m.get(OpenStackTarget.META_ROLE) + "-" + m.get(OpenStackTarget.META_INDEX);
            assertThat(m).containsEntry(OpenStackTarget.META_SERVICE, SERVICE)
                    .containsEntry(OpenStackTarget.META_SITE, site).containsEntry(OpenStackTarget.META_ROLE, "web");
            Instance planned = first.result.instances().stream().filter(i -> i.name().equals(instance)).findFirst()
                    .orElseThrow();
            assertThat(m.get(OpenStackTarget.META_DIGEST)).isEqualTo(planned.configDigest()).hasSize(64);
            assertThat(s.getKeyName()).isEqualTo("itsvc-" + SERVICE + "-" + site);
            Path rendered = project.resolve("target/itsvc/" + site + "/web/" + instance + "/cloud-init/user-data");
            String userData = adminUserData(s.getId());
            assertThat(userData).as("user-data of %s as Nova has it", instance).isEqualTo(Files.readString(rendered));
            // The instance's own address went into its configuration: the port was made before rendering.
            String page = "served by " + instance + " at " + planned.address();
            assertThat(project.resolve("target/itsvc/" + site + "/web/" + instance + "/root/srv/www/index.html"))
                    .content().contains(page);
            assertThat(userData).contains(Base64.getEncoder().encodeToString(("<h1>v1</h1> " + page + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            Path readBack = project.resolve(instance + ".user-data");
            Files.writeString(readBack, userData);
            assertCloudInitSchema(readBack);
        }

        // 2. Again: nothing changes, nothing is made or deleted.
        t0 = System.nanoTime();
        Run second = provision(site);
        report("provision again (no-op)", t0, second);
        assertThat(second.result.plan().isNoop()).isTrue();
        assertThat(second.cloud.requests(Cloud.Kind.CREATE)).as("create calls").isZero();
        assertThat(second.cloud.requests(Cloud.Kind.DELETE)).as("delete calls").isZero();
        assertThat(ids(servers(second.cloud, site))).isEqualTo(ids(servers));

        // 3. A config change replaces the three, one at a time, new before old: each successor boots on a new port
        // (its own address, which its configuration names), is ACTIVE beside the old server, and only then is the
        // old server deleted with its port. A watcher lists the site's servers meanwhile, as an operator would.
        write(site, 3, "v2");
        log.clear();
        t0 = System.nanoTime();
        Run third;
        List<List<Server>> seenDuring;
        try (Watcher watcher = new Watcher(site)) {
            third = provision(site);
            seenDuring = watcher.snapshots();
        }
        report("replace 3 (rolling)", t0, third);
        assertThat(third.result.plan().changes()).extracting(Change::action).containsOnly(Change.Action.REPLACE);
        assertThat(third.result.plan().changes()).allSatisfy(c -> assertThat(c.reason())
                .contains("its successor comes up on a new address, " + c.desired().placement().address()));
        List<String> order = log.stream().filter(l -> l.startsWith("Replacing") || l.contains(" is ACTIVE")
                || l.startsWith("Retiring")).map(l -> l.replaceAll("^(Replacing (web-\\d)).*", "replace $2")
                .replaceAll("^(web-\\d) is ACTIVE.*", "active $1")
                .replaceAll("^Retiring the old server of (web-\\d).*", "retire $1")).toList();
        assertThat(order).containsExactly("replace web-1", "active web-1", "retire web-1", "replace web-2",
                "active web-2", "retire web-2", "replace web-3", "active web-3", "retire web-3");
        List<Server> replaced = servers(third.cloud, site);
        assertThat(replaced).hasSize(3).allMatch(s -> s.getStatus() == Server.Status.ACTIVE);
        assertThat(ids(replaced)).doesNotContainAnyElementsOf(ids(servers));
        for (Server old : servers) {
            String index = old.getMetadata().get(OpenStackTarget.META_INDEX);
            Server successor = replaced.stream().filter(s -> index.equals(s.getMetadata()
                    .get(OpenStackTarget.META_INDEX))).findFirst().orElseThrow();
            // The cloud had the successor ACTIVE while the old server was still there (ACTIVE, not yet deleted).
            assertThat(seenDuring).as("server lists during the run: web-%s's successor ACTIVE beside the old one",
                    index).anyMatch(list -> list.stream().anyMatch(s -> s.getId().equals(old.getId())
                            && s.getStatus() == Server.Status.ACTIVE) && list.stream().anyMatch(s -> s.getId()
                                    .equals(successor.getId()) && s.getStatus() == Server.Status.ACTIVE));
            // ... and the log says the successor was ACTIVE before the old one was retired.
            assertThat(log.indexOf(log.stream().filter(l -> l.startsWith("web-" + index + " is ACTIVE (server "
                    + successor.getId())).findFirst().orElseThrow())).isLessThan(log.indexOf(log.stream()
                            .filter(l -> l.startsWith("Retiring the old server of web-" + index + " (server "
                                    + old.getId())).findFirst().orElseThrow()));
        }
        // New addresses, each in its own configuration; the old ports are gone with their servers.
        assertThat(addresses(third.result.instances())).doesNotContainAnyElementsOf(
                addresses(first.result.instances()));
        for (Instance instance : third.result.instances()) {
            assertThat(project.resolve("target/itsvc/" + site + "/web/" + instance.name() + "/root/srv/www/index.html"))
                    .content().contains("served by " + instance.name() + " at " + instance.address());
        }
        assertThat(portNames(third.cloud, site)).containsExactly(prefixOf(site) + "-web-1", prefixOf(site)
                + "-web-2", prefixOf(site) + "-web-3");
        assertThat(adminUserData(replaced.get(0).getId())).contains(Base64.getEncoder().encodeToString(
                "<h1>v2</h1>".getBytes(StandardCharsets.UTF_8)).substring(0, 12));
        // Running again changes nothing: the successors are the instances now.
        Run settled = provision(site);
        assertThat(settled.result.plan().isNoop()).isTrue();
        assertThat(settled.cloud.requests(Cloud.Kind.CREATE)).as("create calls").isZero();

        // 4. Scale 3 -> 1: web-1 stays, web-2 and web-3 go with their ports.
        write(site, 1, "v2");
        t0 = System.nanoTime();
        Run fourth = provision(site);
        report("scale 3 -> 1", t0, fourth);
        assertThat(fourth.result.plan().changes()).extracting(c -> c.action() + " " + c.instance())
                .containsExactly("KEEP web-1", "DELETE web-2", "DELETE web-3");
        List<Server> one = servers(fourth.cloud, site);
        assertThat(ids(one)).containsExactly(replaced.stream().filter(s -> "1".equals(s.getMetadata()
                .get(OpenStackTarget.META_INDEX))).findFirst().orElseThrow().getId());
        assertThat(portNames(fourth.cloud, site)).containsExactly("itsvc-" + SERVICE + "-" + site + "-web-1");

        // 5. Destroy leaves nothing of the site.
        t0 = System.nanoTime();
        Cloud last = destroy(site);
        report("destroy", t0, last);
        assertNothingLeft(last, site);
    }

    @Test
    void aKilledRunIsFinishedWithoutDuplicates() throws Exception {
        String site = "kill";
        write(site, 2, "v1");
        destroy(site);
        // What a run killed between its creates leaves: web-1 booted twice (a create retried by hand, or two runs),
        // web-2's port made but no server.
        Run first = provision(site);
        Server kept = servers(first.cloud, site).stream().filter(s -> "1".equals(s.getMetadata()
                .get(OpenStackTarget.META_INDEX))).findFirst().orElseThrow();
        Server other = servers(first.cloud, site).stream().filter(s -> "2".equals(s.getMetadata()
                .get(OpenStackTarget.META_INDEX))).findFirst().orElseThrow();
        OSClientV3 os = first.cloud.client();
        os.compute().servers().delete(other.getId());
        Server duplicate = os.compute().servers().boot(os.compute().servers().serverBuilder()
                .name(kept.getName()).image(kept.getImageId()).flavor(kept.getFlavorId())
                .addMetadata(kept.getMetadata()).build());
        waitGoneOrActive(first.cloud, site, other.getId(), duplicate.getId());

        Run second = provision(site);
        List<Server> now = servers(second.cloud, site);
        assertThat(now).hasSize(2).allMatch(s -> s.getStatus() == Server.Status.ACTIVE);
        assertThat(now.stream().map(s -> s.getMetadata().get(OpenStackTarget.META_INDEX)).sorted().toList())
                .containsExactly("1", "2");
        // On a loaded cloud the delete of web-2 may still be under way when the second run lists: the run then
        // keeps web-2 and removes what else it finds; either way, one server per instance remains.
        assertThat(log).anyMatch(l -> l.matches("Removing \\d+ duplicate server\\(s\\) of web .*"));
        assertThat(ids(now)).doesNotContain(duplicate.getId()).contains(kept.getId());
        assertNothingLeft(destroy(site), site);
    }

    @Test
    void duplicateSecurityGroupsAndPortsOfAnInterruptedRunAreMergedAndDestroyed() throws Exception {
        String site = "dupsg";
        write(site, 2, "v1");
        destroy(site);
        String group = "itsvc-" + SERVICE + "-" + site + "-web";
        String description = "itsvc service=" + SERVICE + " site=" + site + " role=web";
        String web1 = "itsvc-" + SERVICE + "-" + site + "-web-1";
        String web2 = "itsvc-" + SERVICE + "-" + site + "-web-2";

        // 1. What interrupted runs leave: the role's group twice, web-1's port twice (one in each group), web-2's
        // port in the second group. destroy used to fail here with 409 "in use".
        Cloud raw = Cloud.connect(config(CLOUD), Duration.ofMinutes(2));
        leaveDuplicates(raw, group, description, web1, web2);
        assertThat(groupIds(raw, group)).hasSize(2);
        Cloud destroyed = destroy(site);
        assertNothingLeft(destroyed, site);

        // 2. The same again, then provision: one group is kept (the one most ports use), every port is moved to it,
        // the spare port of web-1 goes, and both instances come up.
        leaveDuplicates(raw, group, description, web1, web2);
        Run run = provision(site);
        assertThat(log).anyMatch(l -> l.startsWith("Removing 1 duplicate security group(s) " + group));
        List<String> kept = groupIds(run.cloud, group);
        assertThat(kept).hasSize(1);
        assertThat(portNames(run.cloud, site)).containsExactly(web1, web2);
        assertThat(run.cloud.client().networking().port().list().stream()
                .filter(p -> p.getName() != null && p.getName().startsWith(web1.substring(0, web1.length() - 1))))
                .allMatch(p -> p.getSecurityGroups().equals(kept));
        assertThat(servers(run.cloud, site)).hasSize(2).allMatch(s -> s.getStatus() == Server.Status.ACTIVE);
        assertThat(run.result.instances()).hasSize(2).allMatch(Instance::running);

        assertNothingLeft(destroy(site), site);
    }

    private static void leaveDuplicates(Cloud cloud, String group, String description, String web1, String web2) {
        OSClientV3 os = cloud.client();
        String network = os.networking().network().list().stream().filter(n -> !n.isRouterExternal())
                .findFirst().orElseThrow().getId();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            groups.add(os.networking().securitygroup().create(org.openstack4j.api.Builders.securityGroup().name(group)
                    .description(description).build()).getId());
        }
        os.networking().port().create(org.openstack4j.api.Builders.port().name(web1).networkId(network)
                .securityGroup(groups.get(0)).build());
        os.networking().port().create(org.openstack4j.api.Builders.port().name(web1).networkId(network)
                .securityGroup(groups.get(1)).build());
        os.networking().port().create(org.openstack4j.api.Builders.port().name(web2).networkId(network)
                .securityGroup(groups.get(1)).build());
    }

    private static List<String> groupIds(Cloud cloud, String name) {
        return cloud.client().networking().securitygroup().list(Map.of("name", name)).stream().map(g -> g.getId())
                .sorted().toList();
    }

    /**
     * A real kill -9: a forked JVM provisions three servers holding the site's lock, as {@code mvn itsvc:provision}
     * does; while it runs a second run is refused by the lock; it is killed once the cloud has at least one of its
     * servers (so mid-apply, after a create call). The next provision converges with no duplicate, and destroy leaves
     * nothing.
     */
    @Test
    void aRunKilledWithSigkillMidApplyIsFinishedByTheNext() throws Exception {
        String site = "sigkill";
        write(site, 3, "v1");
        destroy(site);
        Cloud watcher = Cloud.connect(config(CLOUD), Duration.ofMinutes(10));
        Path output = project.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ChildProvision.class.getName(), project.toString(), site)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        Path siteDir = project.resolve(".itsvc").resolve(site);
        int seen = 0;
        boolean refused = false;
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seen == 0 && child.isAlive() && System.nanoTime() < deadline) {
                if (!refused && Files.readString(output).contains("locked")) {
                    // Two provisions of one site: the second is refused, naming the first.
                    assertThatThrownBy(() -> io.github.itsvc.target.SiteLock.acquire(siteDir, site, "second"))
                            .isInstanceOf(TargetException.class).hasMessageContaining("process " + child.pid());
                    refused = true;
                }
                seen = servers(watcher, site).size();
                Thread.sleep(50);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
        }
        String childLog = Files.readString(output);
        System.out.println("[openstack IT] the killed run's output:\n" + childLog);
        assertThat(seen).as("servers of the child when it was killed; its output:%n%s", childLog).isPositive();
        assertThat(refused).as("the second run was refused while the first held the lock").isTrue();
        assertThat(childLog).doesNotContain("Role web done");
        List<Server> left = servers(watcher, site);
        System.out.println("[openstack IT] killed with " + left.size() + " server(s) made: " + left.stream()
                .map(s -> s.getName() + " " + s.getStatus()).toList());

        Run next = provision(site);
        List<Server> now = servers(next.cloud, site);
        assertThat(now).hasSize(3).allMatch(s -> s.getStatus() == Server.Status.ACTIVE);
        assertThat(now.stream().map(s -> s.getMetadata().get(OpenStackTarget.META_INDEX)).sorted().toList())
                .containsExactly("1", "2", "3");
        assertThat(next.result.plan().changes()).filteredOn(c -> c.action() == Change.Action.CREATE)
                .hasSizeLessThanOrEqualTo(3 - (int) left.stream().filter(s -> s.getStatus() != Server.Status.ERROR)
                        .map(s -> s.getMetadata().get(OpenStackTarget.META_INDEX)).distinct().count());
        assertThat(ids(now)).containsAll(left.stream().filter(s -> s.getStatus() != Server.Status.ERROR)
                .map(Server::getId).filter(id -> now.stream().anyMatch(n -> n.getId().equals(id))).toList());
        String prefix = "itsvc-" + SERVICE + "-" + site;
        OSClientV3 os = next.cloud.client();
        assertThat(portNames(next.cloud, site)).containsExactly(prefix + "-web-1", prefix + "-web-2",
                prefix + "-web-3");
        assertThat(os.networking().securitygroup().list(Map.of("name", prefix + "-web"))).hasSize(1);
        assertThat(os.compute().serverGroups().list().stream().filter(g -> (prefix + "-web").equals(g.getName())))
                .hasSize(1);
        assertThat(os.compute().keypairs().list().stream().filter(k -> prefix.equals(k.getName()))).hasSize(1);

        assertNothingLeft(destroy(site), site);
    }

    /**
     * A kill -9 mid-surge: a forked run replacing two instances is killed as soon as the cloud has a successor server
     * (two servers of one instance, and the fresh ports made when the run planned). The next run keeps the old server
     * (it served and was checked; the successor was not), removes the successor, reuses or removes the spare ports,
     * and replaces anew: one server per instance with the wanted digest, one port each, nothing else left.
     */
    @Test
    void aRunKilledMidSurgeIsFinishedWithOneServerAndOnePortPerInstance() throws Exception {
        String site = "surgekill";
        write(site, 2, "v1");
        destroy(site);
        List<String> before = ids(servers(provision(site).cloud, site));
        write(site, 2, "v2");
        Cloud watcher = Cloud.connect(config(CLOUD), Duration.ofMinutes(10));
        Path output = project.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ChildProvision.class.getName(), project.toString(), site)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        List<Server> left = List.of();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (left.size() <= 2 && child.isAlive() && System.nanoTime() < deadline) {
                left = servers(watcher, site);
                Thread.sleep(50);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
        }
        String childLog = Files.readString(output);
        System.out.println("[openstack IT] the killed run's output:\n" + childLog);
        assertThat(left).as("servers when the child was killed; its output:%n%s", childLog).hasSizeGreaterThan(2);
        assertThat(ids(left)).containsAll(before);
        System.out.println("[openstack IT] killed mid-surge with: " + left.stream().map(s -> s.getName() + " "
                + s.getStatus()).toList() + ", ports " + portNames(watcher, site));

        log.clear();
        Run next = provision(site);
        List<Server> now = servers(next.cloud, site);
        assertThat(now).hasSize(2).allMatch(s -> s.getStatus() == Server.Status.ACTIVE);
        for (Server s : now) {
            Change wanted = next.result.plan().changes().stream().filter(c -> c.instance().equals("web-"
                    + s.getMetadata().get(OpenStackTarget.META_INDEX))).findFirst().orElseThrow();
            assertThat(s.getMetadata().get(OpenStackTarget.META_DIGEST)).isEqualTo(wanted.desired().configDigest());
        }
        assertThat(ids(now)).doesNotContainAnyElementsOf(before);
        // One port per instance (same-named extras would show twice), the ones the servers use.
        assertThat(portNames(next.cloud, site)).containsExactly(prefixOf(site) + "-web-1", prefixOf(site) + "-web-2");
        Set<String> used = next.cloud.client().networking().port().list().stream().filter(p -> p.getName() != null
                && p.getName().startsWith(prefixOf(site) + "-")).map(p -> p.getDeviceId()).collect(Collectors.toSet());
        assertThat(used).containsExactlyInAnyOrderElementsOf(ids(now));
        assertThat(provision(site).result.plan().isNoop()).isTrue();
        assertNothingLeft(destroy(site), site);
    }

    /**
     * Two operators on two machines (two targets, two tokens) provisioning one site: the file lock cannot see the
     * other machine, the cloud's lock can. While the first holds it, the second's provision and destroy are refused
     * before they change anything, naming the holder; once it is released, the second goes ahead.
     */
    @Test
    void aSecondRunOnTheSameSiteIsRefusedByTheCloudsLockWhileTheFirstHoldsIt() throws Exception {
        String site = "twice";
        write(site, 1, "v1");
        destroy(site);
        DefinitionReader reader = new DefinitionReader(project, project.resolve("src/main/itsvc"));
        OpenStackTarget first = target(reader.readService(), reader.readSite(site));
        first.lock("provision"); // as its placements do, before making anything
        OpenStackTarget second = target(reader.readService(), reader.readSite(site));
        String holder = "site " + site + " is being changed by another run: itsvc:provision by ";
        assertThatThrownBy(second::placements).isInstanceOf(TargetException.class).hasMessageContaining(holder)
                .hasMessageContaining("(process " + ProcessHandle.current().pid() + ")")
                .hasMessageContaining("lock: key pair itsvc-" + SERVICE + "-" + site + "-lock")
                .hasMessageContaining("fix: wait until that run ends");
        assertThatThrownBy(second::destroy).isInstanceOf(TargetException.class).hasMessageContaining(holder);
        assertThat(portNames(second.connection(), site)).as("what the refused runs made").isEmpty();
        assertThat(second.connection().requests(Cloud.Kind.CREATE) + second.connection().requests(Cloud.Kind.DELETE))
                .isZero();
        first.release();
        assertThat(first.connection().requests(Cloud.Kind.LOCK)).as("lock requests of a run").isEqualTo(2);

        Run run = provision(site); // free again
        assertThat(run.result.instances()).hasSize(1);
        assertNothingLeft(destroy(site), site);
    }

    /** The killed run: provisions a site of the project holding the site's lock, as the provision goal does. */
    public static final class ChildProvision {
        public static void main(String[] args) throws Exception {
            OpenStackTargetIT it = new OpenStackTargetIT();
            it.project = Path.of(args[0]);
            try (var lock = io.github.itsvc.target.SiteLock.acquire(it.project.resolve(".itsvc").resolve(args[1]),
                    args[1], "mvn itsvc:provision")) {
                System.out.println("locked");
                it.provision(args[1]);
            }
        }
    }

    /**
     * {@code image: { binary: ... }}: the verified file is uploaded to Glance once and found again by the SHA-512
     * Glance computed of its content, never by name: an image named like the binary, with other bytes, is not booted.
     */
    @Test
    void anImageFromABinaryIsUploadedOnceAndMatchedByGlancesHash() throws Exception {
        String site = "trusted";
        write(site, 1, "v1");
        destroy(site);
        String binary = "itsvc-it-image-" + Long.toHexString(System.nanoTime()); // its own bytes, its own images
        byte[] bytes = new byte[256 * 1024];
        new java.util.Random().nextBytes(bytes);
        Path file = project.resolve("images/tiny.raw"); // file: binaries are relative to the project
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        String sha512 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-512")
                .digest(bytes));
        writeServiceWithImageBinary(binary, sha512);
        Cloud raw = Cloud.connect(config(CLOUD), Duration.ofMinutes(5));
        OSClientV3 os = raw.client();
        // A decoy: same name, other content.
        var decoy = os.imagesV2().create(org.openstack4j.api.Builders.imageV2().name(binary)
                .containerFormat(org.openstack4j.model.image.v2.ContainerFormat.BARE)
                .diskFormat(org.openstack4j.model.image.v2.DiskFormat.RAW).build());
        os.imagesV2().upload(decoy.getId(), org.openstack4j.model.common.Payloads.create(
                new java.io.ByteArrayInputStream(new byte[4096])), decoy);
        try {
            Run first = provision(site);
            assertThat(log).anyMatch(l -> l.startsWith("Uploading binary " + binary));
            List<Server> servers = servers(first.cloud, site);
            assertThat(servers).hasSize(1).allMatch(s -> s.getStatus() == Server.Status.ACTIVE);
            String imageId = servers.get(0).getImageId();
            assertThat(imageId).isNotEqualTo(decoy.getId());
            var image = (org.openstack4j.openstack.image.v2.domain.GlanceImage) os.imagesV2().get(imageId);
            assertThat(image.getAdditionalPropertyValue("os_hash_algo")).isEqualTo("sha512");
            assertThat(image.getAdditionalPropertyValue("os_hash_value")).isEqualTo(sha512);
            assertThat(image.getTags()).contains("itsvc", OpenStackTarget.imageTag(binary));

            // A new configuration replaces the server: a new run finds the image by its hash, uploads nothing.
            log.clear();
            write(site, 1, "v2");
            writeServiceWithImageBinary(binary, sha512);
            Run second = provision(site);
            assertThat(second.result.plan().changes()).extracting(Change::action).containsExactly(
                    Change.Action.REPLACE);
            assertThat(log).noneMatch(l -> l.startsWith("Uploading binary"));
            // The successor's new port and the server: no image.
            assertThat(second.cloud.requests(Cloud.Kind.CREATE)).as("creates: a port and the server").isEqualTo(2);
            assertThat(servers(second.cloud, site)).extracting(Server::getImageId).containsExactly(imageId);
            assertThat(os.imagesV2().list(Map.of("name", binary))).hasSize(2); // the decoy and the one upload
            assertNothingLeft(destroy(site), site);
        } finally {
            for (var i : os.imagesV2().list(Map.of("name", binary))) {
                os.imagesV2().delete(i.getId());
            }
        }
    }

    private void writeServiceWithImageBinary(String binary, String sha512) throws IOException {
        Files.writeString(project.resolve("src/main/itsvc/service.yaml"), """
                name: %s
                binaries:
                  %s:
                    file: images/tiny.raw
                    sha512: %s
                roles:
                  web:
                    count: 1
                    image: { binary: %s }
                    flavor: m1.tiny
                    ports: { http: 8080 }
                    files:
                      - { template: index.html.ftl, to: srv/www/index.html }
                    run: busybox httpd -f -p 8080 -h srv/www
                """.formatted(SERVICE, binary, sha512, binary));
    }

    @Test
    void aWrongPasswordIsReported() throws Exception {
        Files.writeString(project.resolve("clouds.yaml"), """
                clouds:
                  wrong-password:
                    auth:
                      auth_url: %s
                      username: demo
                      password: not-the-password
                      project_name: demo
                      user_domain_name: Default
                      project_domain_name: Default
                    region_name: RegionOne
                """.formatted(config(CLOUD).authUrl()));
        CloudConfig wrong = new CloudsYaml(project, project, Map.of()).find("wrong-password");
        assertThatThrownBy(() -> Cloud.connect(wrong, Duration.ofMinutes(1))).isInstanceOf(TargetException.class)
                .hasMessageContaining("refused the credentials of user 'demo'").hasMessageContaining("401")
                .hasMessageContaining("fix:").hasMessageNotContaining("not-the-password");
    }

    @Test
    void aMissingImageOrFlavorIsReportedWithWhatExists() throws Exception {
        String site = "missing";
        write(site, 1, "v1");
        destroy(site);
        writeService(1, "no-such-image", "m1.tiny");
        assertThatThrownBy(() -> provision(site)).isInstanceOf(TargetException.class)
                .hasMessageContaining("image 'no-such-image' of role web").hasMessageContaining("cirros")
                .hasMessageContaining("fix:");
        writeService(1, "cirros", "m1.huge");
        assertThatThrownBy(() -> provision(site)).isInstanceOf(TargetException.class)
                .hasMessageContaining("flavor 'm1.huge' of role web").hasMessageContaining("m1.tiny")
                .hasMessageContaining("m1.small").hasMessageContaining("fix:");
        Cloud cloud = destroy(site);
        assertThat(servers(cloud, site)).isEmpty();
        assertNothingLeft(cloud, site);
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    record Run(Provisioner.Result result, Cloud cloud) {}

    private Run provision(String siteName) throws Exception {
        DefinitionReader reader = new DefinitionReader(project, project.resolve("src/main/itsvc"));
        Service service = reader.readService();
        Site site = reader.readSite(siteName);
        OpenStackTarget target = target(service, site);
        Renderer renderer = new Renderer(project, project.resolve("src/main/itsvc/templates"),
                getClass().getClassLoader());
        // Binaries are fetched and verified for real, as the provision goal does.
        List<io.github.itsvc.binaries.VerifiedBinary> verified = service.binaries().isEmpty() ? List.of()
                : new io.github.itsvc.binaries.Binaries(io.github.itsvc.binaries.Binaries.Options.defaults(project,
                        project.resolve("src/main/itsvc"), new io.github.itsvc.binaries.BinaryCache(
                                project.resolve("cache")), null)).verify(service,
                        io.github.itsvc.binaries.Lockfile.empty("itsvc.lock"));
        Provisioner.Result result = new Provisioner(target, renderer, project.resolve("target/itsvc"),
                CheckRunner.builder().build(), sink).provision(service, site, verified, false);
        return new Run(result, target.connection());
    }

    private Cloud destroy(String siteName) throws Exception {
        DefinitionReader reader = new DefinitionReader(project, project.resolve("src/main/itsvc"));
        OpenStackTarget target = target(reader.readService(), reader.readSite(siteName));
        target.destroy();
        return target.connection();
    }

    private OpenStackTarget target(Service service, Site site) {
        return new OpenStackTarget(service, site, project.resolve(".itsvc").resolve(site.name()),
                () -> Cloud.connect(config(CLOUD), Duration.ofMinutes(10)),
                new OpenStackTarget.Options(false, OpenStackTarget.Strategy.ROLLING, Duration.ofMinutes(10),
                        Duration.ofSeconds(1)), sink);
    }

    private static CloudConfig config(String cloud) throws TargetException {
        return new CloudsYaml(Path.of("."), Path.of(System.getProperty("user.home")), System.getenv()).find(cloud);
    }

    private void write(String site, int count, String title) throws IOException {
        Path dir = project.resolve("src/main/itsvc");
        Files.createDirectories(dir.resolve("sites"));
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("sites/" + site + ".yaml"), """
                target: openstack
                cloud: %s
                values:
                  title: "%s"
                """.formatted(CLOUD, title));
        Files.writeString(dir.resolve("templates/index.html.ftl"),
                "<h1>${values.title}</h1> served by ${instance.name} at ${instance.address}\n");
        writeService(count, "cirros", "m1.tiny");
    }

    private void writeService(int count, String image, String flavor) throws IOException {
        Files.writeString(project.resolve("src/main/itsvc/service.yaml"), """
                name: %s
                roles:
                  web:
                    count: %d
                    image: %s
                    flavor: %s
                    ports: { http: 8080 }
                    files:
                      - { template: index.html.ftl, to: srv/www/index.html }
                    run: busybox httpd -f -p 8080 -h srv/www
                """.formatted(SERVICE, count, image, flavor));
    }

    private static List<Server> servers(Cloud cloud, String site) {
        return cloud.client().compute().servers().list(Map.of("name", "^itsvc-" + SERVICE + "-" + site + "-"))
                .stream().map(s -> (Server) s).filter(s -> site.equals(s.getMetadata().get(OpenStackTarget.META_SITE)))
                .sorted(java.util.Comparator.comparing(Server::getName)).collect(Collectors.toList());
    }

    private static String prefixOf(String site) {
        return "itsvc-" + SERVICE + "-" + site;
    }

    /** Lists a site's servers every 200 ms on its own connection, keeping every list, until closed. */
    private static final class Watcher implements AutoCloseable {
        private final List<List<Server>> snapshots = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean done;

        Watcher(String site) throws TargetException {
            Cloud cloud = Cloud.connect(config(CLOUD), Duration.ofMinutes(10));
            thread = new Thread(() -> {
                while (!done) {
                    try {
                        snapshots.add(servers(cloud, site));
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // a list that failed is a list not seen
                    }
                }
            }, "server-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        List<List<Server>> snapshots() {
            synchronized (snapshots) {
                return List.copyOf(snapshots);
            }
        }

        @Override
        public void close() throws InterruptedException {
            done = true;
            thread.join(5000);
        }
    }

    private static List<String> ids(List<Server> servers) {
        return servers.stream().map(Server::getId).sorted().toList();
    }

    private static List<String> addresses(List<Instance> instances) {
        return instances.stream().sorted(java.util.Comparator.comparingInt(Instance::index))
                .map(Instance::address).toList();
    }

    private static List<String> portNames(Cloud cloud, String site) {
        return cloud.client().networking().port().list().stream().map(p -> p.getName())
                .filter(startsWith("itsvc-" + SERVICE + "-" + site + "-")).sorted().toList();
    }

    private static Predicate<String> startsWith(String prefix) {
        return n -> n != null && n.startsWith(prefix);
    }

    private static void assertNothingLeft(Cloud cloud, String site) {
        String prefix = "itsvc-" + SERVICE + "-" + site;
        OSClientV3 os = cloud.client();
        assertThat(servers(cloud, site)).as("servers").isEmpty();
        assertThat(portNames(cloud, site)).as("ports").isEmpty();
        assertThat(os.networking().securitygroup().list().stream().map(g -> g.getName()))
                .as("security groups").noneMatch(startsWith(prefix));
        assertThat(os.compute().serverGroups().list().stream().map(g -> g.getName()))
                .as("server groups").noneMatch(startsWith(prefix));
        assertThat(os.compute().keypairs().list().stream().map(k -> k.getName())).as("key pairs")
                .noneMatch(startsWith(prefix));
    }

    private static void waitGoneOrActive(Cloud cloud, String site, String gone, String active) throws Exception {
        for (int i = 0; i < 120; i++) {
            List<Server> now = servers(cloud, site);
            boolean deleted = now.stream().noneMatch(s -> s.getId().equals(gone));
            boolean up = now.stream().anyMatch(s -> s.getId().equals(active) && s.getStatus() == Server.Status.ACTIVE);
            if (deleted && up) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the cloud did not settle");
    }

    /** The user-data Nova holds for a server: admin only, compute microversion 2.3 or later. */
    private static String adminUserData(String serverId) throws Exception {
        Cloud admin = Cloud.connect(config(ADMIN_CLOUD), Duration.ofMinutes(2));
        OSClientV3 os = admin.client();
        String compute = ((OSClientSession.OSClientSessionV3) os).getEndpoint(ServiceType.COMPUTE);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(compute.replaceAll("/+$", "") + "/servers/" + serverId))
                .header("X-Auth-Token", os.getToken().getId())
                .header("X-OpenStack-Nova-API-Version", "2.3").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode server = new ObjectMapper().readTree(response.body()).get("server");
        String encoded = server.get("OS-EXT-SRV-ATTR:user_data").asText();
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    private static void assertCloudInitSchema(Path userData) throws Exception {
        Process process = new ProcessBuilder("cloud-init", "schema", "--config-file", userData.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("cloud-init schema --config-file %s:%n%s", userData, output).isZero();
    }

    private void report(String what, long startNanos, Run run) {
        report(what, startNanos, run.cloud);
    }

    private static void report(String what, long startNanos, Cloud cloud) {
        System.out.printf("[openstack IT] %-26s %6.1f s  %s%n", what, (System.nanoTime() - startNanos) / 1e9,
                cloud == null ? "" : cloud.summary());
    }
}
