package io.github.itsvc.target.openstack;

import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.render.DataModel;
import io.github.itsvc.target.Change;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Target;
import io.github.itsvc.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.compute.Address;
import org.openstack4j.model.compute.Fault;
import org.openstack4j.model.compute.Flavor;
import org.openstack4j.model.compute.Keypair;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.compute.ServerGroup;
import org.openstack4j.model.compute.builder.ServerCreateBuilder;
import org.openstack4j.model.image.v2.ContainerFormat;
import org.openstack4j.model.image.v2.DiskFormat;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.model.network.IP;
import org.openstack4j.model.network.NetFloatingIP;
import org.openstack4j.model.network.Network;
import org.openstack4j.model.network.Resource;
import org.openstack4j.model.network.Port;
import org.openstack4j.model.network.SecurityGroup;
import org.openstack4j.model.network.SecurityGroupRule;
import org.openstack4j.openstack.networking.domain.NeutronResourceTag;

/**
 * The {@code openstack} target: every instance is a Nova server booted from its role's image and flavor with its
 * rendered cloud-init user-data, on a Neutron port of its own (made before rendering, so the instance's address is
 * known to every template; it stays while the server lives, and a rolling replacement's successor gets a port, so an
 * address, of its own beside the old server's until that one goes), in a security group per role opened for
 * the role's ports (and the site's extra rules), in a server group per role (spread over hosts), with the site's key
 * pair and, if the site asks, a floating IP.
 *
 * <p>No state file: servers carry their service, site, role, index and config digest as metadata, and the other
 * resources are named {@code itsvc-<service>-<site>[-<role>[-<index>]]}; discovery lists them from the cloud, so a
 * killed run is finished by the next one and duplicates it may have left are removed.
 */
public final class OpenStackTarget implements Target {

    static final String META_SERVICE = "itsvc_service";
    static final String META_SITE = "itsvc_site";
    static final String META_ROLE = "itsvc_role";
    static final String META_INDEX = "itsvc_index";
    static final String META_DIGEST = "itsvc_digest";
    /** Nova's limit on user_data, after base64. */
    static final int USER_DATA_LIMIT = 65535;

    /** How replaced instances go. */
    public enum Strategy {
        /** One at a time, new before old: each successor on a new port, the old server deleted once it passes. */
        ROLLING,
        /** All at once: every replaced server is deleted, then all are booted together. */
        RECREATE
    }

    /**
     * @param dryRun make nothing, not even the ports that give instances their addresses
     * @param strategy how config changes replace servers
     * @param timeout the whole run's budget on the cloud
     * @param poll how often a run waiting for servers lists them (one list call per tick)
     */
    public record Options(boolean dryRun, Strategy strategy, Duration timeout, Duration poll) {
        public static Options defaults() {
            return new Options(false, Strategy.ROLLING, Duration.ofMinutes(20), Duration.ofSeconds(1));
        }
    }

    /** Opens the connection to the cloud, once, when the target first needs it. */
    @FunctionalInterface
    public interface Connector {
        Cloud connect() throws TargetException;
    }

    private final Service service;
    private final Site site;
    private final Path siteDir;
    private final Connector connector;
    private final Options options;
    private final Consumer<String> log;
    private final String prefix;

    private Cloud cloud;
    private String networkId;
    private Map<String, Port> ports;
    private List<Port> allPorts = new ArrayList<>();
    private final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
    private final Map<String, List<Server>> duplicates = new LinkedHashMap<>();
    /** Surge: the port each replaced instance's successor boots on, by instance; made (or found free) when placed. */
    private final Map<String, Port> fresh = new LinkedHashMap<>();
    /** Surge: the successors booted in this run and not yet retired or withdrawn (server id by instance). */
    private final Map<String, String> successors = new LinkedHashMap<>();
    private String keypair;
    /** Key pair names the site's servers were booted with, as last listed: the site's key pair exists if it is one. */
    private final Set<String> keyNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The role and its servers of the last poll, while no change was made since: what awaitSettled needs. */
    private volatile Map.Entry<String, List<Server>> lastPoll;
    private volatile boolean sawFloatingIp;
    /** The cloud-side lock of the site while this run holds it. */
    private CloudLock lock;
    private Flavors flavors;
    private final Map<String, String[]> bootSources = new LinkedHashMap<>();
    private final Map<String, String> trustedImages = new LinkedHashMap<>();

    /**
     * @param siteDir the site's folder beside the project ({@code .itsvc/<site>}): where a key pair the cloud made
     *     keeps its private half
     */
    public OpenStackTarget(Service service, Site site, Path siteDir, Connector connector, Options options,
            Consumer<String> log) {
        this.service = service;
        this.site = site;
        this.siteDir = siteDir;
        this.connector = connector;
        this.options = options;
        this.log = log;
        this.prefix = "itsvc-" + service.name() + "-" + site.name();
    }

    private Cloud cloud() throws TargetException {
        if (cloud == null) {
            cloud = connector.connect();
        }
        return cloud;
    }

    /** Takes the site's lock on the cloud for this run, once; {@link #release} lets it go. */
    synchronized void lock(String goal) throws TargetException {
        if (lock == null) {
            lock = CloudLock.take(cloud(), prefix, site.name(), goal, options.timeout(), log, java.time.Clock.systemUTC());
        }
    }

    /** Lets go of the site's lock on the cloud, if this run holds it; a failure is told, not thrown. */
    @Override
    public synchronized void release() {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
        } catch (TargetException e) {
            log.accept("WARNING: could not release the lock of site " + site.name() + " (" + e.getMessage().lines()
                    .findFirst().orElse("") + "); the next run takes it over once it is stale, or remove it: openstack"
                    + " keypair delete " + lock.name());
        } finally {
            lock = null;
        }
    }

    /** The requests made on the cloud so far, for the run's summary; {@code null} if none was made. */
    public Cloud connection() {
        return cloud;
    }

    String serverName(String role, int index) {
        return prefix + "-" + role + "-" + index;
    }

    String roleResourceName(String role) {
        return prefix + "-" + role;
    }

    @Override
    public boolean rolling() {
        return options.strategy() == Strategy.ROLLING;
    }

    /** Rolling replacements come up new before old: the successor on a port of its own, beside the old server. */
    @Override
    public boolean surge() {
        return options.strategy() == Strategy.ROLLING;
    }

    @Override
    public String replaceOrder() {
        return options.strategy() == Strategy.ROLLING
                ? "one at a time, new before old (rolling): each successor is booted on a new port (a new address,"
                        + " hence the instances whose configuration names it are replaced too), waited for until"
                        + " ACTIVE and its role's checks pass, and only then are the old server and its port deleted;"
                        + " a successor that fails is removed and the old server keeps serving."
                        + " -Ditsvc.strategy=recreate replaces them all at once on their ports"
                : "all at once (-Ditsvc.strategy=recreate): every old server is deleted, then all successors are"
                        + " booted together on the same ports (same addresses)";
    }

    // ---------------------------------------------------------------------------------------------------- placement

    @Override
    public DataModel.Placements placements() throws TargetException {
        return place(true);
    }

    /** @param refresh list the ports (once per run; a surge's later placements use what is known) */
    private DataModel.Placements place(boolean refresh) throws TargetException {
        // A wrong image or flavor is told before anything is made (a dry run tells it too).
        for (Role role : service.roles().values()) {
            bootSource(role);
        }
        if (!options.dryRun()) {
            lock("provision"); // before the first change, the lookups above only read
        }
        DataModel.Placements planned = DataModel.planned(service, site);
        Map<String, Port> existing = ports(refresh);
        if (refresh) {
            portsOfChosenServers();
        }
        if (!options.dryRun()) {
            // The missing ports, all at once: each instance's address must be known before rendering.
            List<String[]> missing = new ArrayList<>();
            for (Role role : service.roles().values()) {
                if (role.count() > 0) {
                    securityGroup(role);
                }
                for (int index = 1; index <= role.count(); index++) {
                    if (!existing.containsKey(serverName(role.name(), index))) {
                        missing.add(new String[] {role.name(), serverName(role.name(), index)});
                    }
                }
            }
            createPorts(missing);
        }
        Map<String, DataModel.Placement> placed = new LinkedHashMap<>();
        for (Role role : service.roles().values()) {
            for (int index = 1; index <= role.count(); index++) {
                Port port = existing.get(serverName(role.name(), index));
                DataModel.Placement plan = planned.of(role, index);
                String address = port == null ? plan.address() : fixedIp(port);
                placed.put(DataModel.instanceName(role.name(), index),
                        new DataModel.Placement(address, role.ports(), plan.root(), port == null));
            }
        }
        return (role, index) -> placed.get(DataModel.instanceName(role.name(), index));
    }

    /**
     * Surge: each renewed instance is placed on a port of its own for its successor, beside the one its server uses. A
     * free port of the instance's name (an interrupted run's) is taken again; the missing ones come in one request.
     */
    @Override
    public DataModel.Placements placements(Set<String> renewed) throws TargetException {
        DataModel.Placements current = place(false);
        List<String[]> missing = new ArrayList<>();
        Map<String, String> roleOf = new LinkedHashMap<>();
        synchronized (this) {
            fresh.keySet().retainAll(renewed);
            Set<String> taken = fresh.values().stream().map(Port::getId).collect(Collectors.toSet());
            for (Role role : service.roles().values()) {
                for (int index = 1; index <= role.count(); index++) {
                    String instance = DataModel.instanceName(role.name(), index);
                    String name = serverName(role.name(), index);
                    if (!renewed.contains(instance) || fresh.containsKey(instance)) {
                        continue;
                    }
                    Port own = ports.get(name);
                    Port spare = allPorts.stream().filter(p -> name.equals(p.getName()) && p != own
                            && (own == null || !p.getId().equals(own.getId())) && !taken.contains(p.getId())
                            && (p.getDeviceId() == null || p.getDeviceId().isEmpty())).findFirst().orElse(null);
                    if (spare != null) {
                        fresh.put(instance, spare);
                        taken.add(spare.getId());
                    } else {
                        missing.add(new String[] {role.name(), name});
                        roleOf.put(name, instance);
                    }
                }
            }
        }
        if (!options.dryRun()) {
            for (Port made : createPorts(missing)) {
                synchronized (this) {
                    fresh.put(roleOf.get(made.getName()), made);
                }
            }
        }
        Map<String, DataModel.Placement> placed = new LinkedHashMap<>();
        for (Role role : service.roles().values()) {
            for (int index = 1; index <= role.count(); index++) {
                String instance = DataModel.instanceName(role.name(), index);
                DataModel.Placement now = current.of(role, index);
                if (renewed.contains(instance)) {
                    Port port = fresh.get(instance);
                    // A dry run makes no port: the successor's address is only planned.
                    now = port == null ? new DataModel.Placement("next." + now.address(), now.ports(), now.root(), true)
                            : new DataModel.Placement(fixedIp(port), now.ports(), now.root(), false);
                }
                placed.put(instance, now);
            }
        }
        return (role, index) -> placed.get(DataModel.instanceName(role.name(), index));
    }

    /**
     * Where an instance has several servers (a surge was interrupted, or a create was retried), its port is the one
     * of the server discovery keeps, so the instance is rendered with that server's address. Lists servers only then.
     */
    private void portsOfChosenServers() throws TargetException {
        Map<String, Long> inUse;
        synchronized (this) {
            inUse = allPorts.stream().filter(p -> p.getDeviceId() != null && !p.getDeviceId().isEmpty())
                    .collect(Collectors.groupingBy(Port::getName, Collectors.counting()));
        }
        if (inUse.values().stream().noneMatch(n -> n > 1)) {
            return;
        }
        Map<String, Server> chosen = new LinkedHashMap<>();
        servers(prefix + "-").stream().sorted(BEST).forEach(s -> chosen.putIfAbsent(serverName(serverRole(s),
                serverIndex(s)), s));
        synchronized (this) {
            for (var entry : chosen.entrySet()) {
                if (inUse.getOrDefault(entry.getKey(), 0L) > 1) {
                    allPorts.stream().filter(p -> entry.getKey().equals(p.getName())
                            && entry.getValue().getId().equals(p.getDeviceId())).findFirst()
                            .ifPresent(p -> ports.put(entry.getKey(), p));
                }
            }
        }
    }

    /** Creates the missing ports ({role, name} each) with one bulk request: Neutron makes all of them or none. */
    private List<Port> createPorts(List<String[]> missing) throws TargetException {
        if (missing.isEmpty()) {
            return List.of();
        }
        String network = network();
        List<Port> wanted = new ArrayList<>();
        for (String[] m : missing) {
            SecurityGroup group = securityGroup(service.roles().get(m[0]));
            wanted.add(Builders.port().name(m[1]).networkId(network).securityGroup(group.getId()).build());
        }
        OSClientV3 os = cloud().client();
        List<? extends Port> made = cloud().call("create " + missing.size() + " ports " + prefix + "-*",
                Cloud.Kind.CREATE, () -> os.networking().port().create(wanted));
        synchronized (this) {
            for (Port port : made) {
                ports.putIfAbsent(port.getName(), port); // a surge's port is not (yet) the instance's
                allPorts.add(port);
            }
        }
        return List.copyOf(made);
    }

    private static String fixedIp(Port port) {
        return port.getFixedIps().stream().map(IP::getIpAddress).filter(Objects::nonNull)
                .sorted(Comparator.comparing((String ip) -> ip.contains(":"))).findFirst()
                .orElse(port.getName() + "." + DataModel.PLANNED_DOMAIN);
    }

    /** The site's ports by name (the one to use where an interrupted run left several), listed once per run. */
    private synchronized Map<String, Port> ports(boolean refresh) throws TargetException {
        if (ports == null || refresh) {
            OSClientV3 os = cloud().client();
            List<? extends Port> all = cloud().call("list ports", Cloud.Kind.READ, () -> os.networking().port().list());
            allPorts = all.stream().filter(p -> p.getName() != null && p.getName().startsWith(prefix + "-"))
                    .sorted(PORT_ORDER).map(p -> (Port) p).collect(Collectors.toCollection(ArrayList::new));
            ports = new LinkedHashMap<>();
            allPorts.forEach(p -> ports.putIfAbsent(p.getName(), p));
        }
        return ports;
    }

    /** Every port of the site, duplicates of a name included, as last listed. */
    private synchronized List<Port> allPorts() throws TargetException {
        ports(false);
        return List.copyOf(allPorts);
    }

    /** Which of same-named ports is the instance's: one a server uses before a free one, then the oldest. */
    private static final Comparator<Port> PORT_ORDER = Comparator
            .comparing((Port p) -> p.getDeviceId() == null || p.getDeviceId().isEmpty())
            .thenComparing(p -> p.getCreatedTime() == null ? Instant.EPOCH : p.getCreatedTime().toInstant())
            .thenComparing(p -> String.valueOf(p.getId()));

    /** The network the site's ports are on: the site's, or the project's only non-external one. */
    private synchronized String network() throws TargetException {
        if (networkId != null) {
            return networkId;
        }
        OSClientV3 os = cloud().client();
        List<? extends Network> all = cloud().call("list networks", Cloud.Kind.READ,
                () -> os.networking().network().list());
        String wanted = site.openstack().network();
        List<? extends Network> candidates = wanted != null
                ? all.stream().filter(n -> wanted.equals(n.getId()) || wanted.equals(n.getName())).toList()
                : all.stream().filter(n -> !n.isRouterExternal()).toList();
        String names = all.stream().map(n -> n.getName() + (n.isRouterExternal() ? " (external)" : ""))
                .sorted().collect(Collectors.joining(", "));
        if (candidates.size() != 1) {
            String where = "site " + site.name() + " (" + site.location() + ")";
            throw new TargetException(wanted != null
                    ? (candidates.isEmpty() ? "network '" + wanted + "' of " + where + " does not exist on cloud "
                            + cloud().config().name() : "network '" + wanted + "' of " + where + " is ambiguous: "
                            + candidates.size() + " networks have that name") + "; the networks there: " + names
                            + System.lineSeparator() + "    fix: set 'openstack: { network: <name or id> }' to one of"
                            + " them"
                    : "cloud " + cloud().config().name() + " has " + (candidates.isEmpty() ? "no network"
                            : candidates.size() + " networks") + " for " + where + " to use: " + names
                            + System.lineSeparator() + "    fix: name one in the site: 'openstack: { network: <name"
                            + " or id> }'");
        }
        networkId = candidates.get(0).getId();
        return networkId;
    }

    // --------------------------------------------------------------------------------------------------- discovery

    @Override
    public List<Instance> discover() throws TargetException {
        duplicates.clear();
        Map<String, List<Server>> byInstance = new LinkedHashMap<>();
        for (Server server : servers(prefix + "-")) {
            Map<String, String> m = server.getMetadata();
            byInstance.computeIfAbsent(m.get(META_ROLE) + "-" + m.get(META_INDEX), k -> new ArrayList<>()).add(server);
        }
        List<Instance> found = new ArrayList<>();
        for (List<Server> candidates : byInstance.values()) {
            // The one to keep: running before not, then the oldest (it may already serve); the others are what an
            // interrupted run left.
            candidates.sort(BEST);
            Server chosen = candidates.get(0);
            if (candidates.size() > 1) {
                duplicates.put(serverRole(chosen) + "-" + serverIndex(chosen), candidates.subList(1,
                        candidates.size()));
            }
            found.add(instance(chosen));
        }
        found.sort(Comparator.comparing(Instance::role).thenComparingInt(Instance::index));
        return found;
    }

    /** Which of an instance's servers is the instance: running before not, then the oldest. */
    private static final Comparator<Server> BEST = Comparator.comparingInt(OpenStackTarget::rank)
            .thenComparing(s -> s.getCreated() == null ? Instant.EPOCH : s.getCreated().toInstant());

    private static int rank(Server s) {
        // One a killed run was deleting (a retired predecessor) is on its way out, whatever its status says.
        if ("deleting".equals(s.getTaskState())) {
            return 3;
        }
        return s.getStatus() == Server.Status.ACTIVE ? 0 : s.getStatus() == Server.Status.BUILD ? 1 : 2;
    }

    /** The site's servers whose name starts so (Nova filters names by regex), checked by their metadata. */
    private List<Server> servers(String namePrefix) throws TargetException {
        OSClientV3 os = cloud().client();
        List<? extends Server> listed = cloud().call("list servers", Cloud.Kind.READ,
                () -> os.compute().servers().list(Map.of("name", "^" + namePrefix.replace(".", "\\."))));
        lastPoll = null;
        listed.stream().map(Server::getKeyName).filter(Objects::nonNull).forEach(keyNames::add);
        sawFloatingIp |= listed.stream().anyMatch(srv -> srv.getAddresses() != null
                && srv.getAddresses().getAddresses() != null && srv.getAddresses().getAddresses().values().stream()
                        .flatMap(List::stream).anyMatch(a -> "floating".equals(a.getType())));
        return listed.stream().filter(s -> s.getMetadata() != null
                && service.name().equals(s.getMetadata().get(META_SERVICE))
                && site.name().equals(s.getMetadata().get(META_SITE))
                && s.getMetadata().get(META_ROLE) != null && serverIndex(s) > 0)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static String serverRole(Server s) {
        return s.getMetadata().get(META_ROLE);
    }

    private static int serverIndex(Server s) {
        try {
            return Integer.parseInt(s.getMetadata().get(META_INDEX));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Instance instance(Server s) {
        Role role = service.roles().get(serverRole(s));
        boolean up = s.getStatus() == Server.Status.ACTIVE || s.getStatus() == Server.Status.BUILD;
        return new Instance(serverRole(s), serverIndex(s), address(s), role == null ? Map.of() : role.ports(),
                Objects.requireNonNullElse(s.getMetadata().get(META_DIGEST), ""),
                up ? Instance.State.RUNNING : Instance.State.STOPPED,
                s.getCreated() == null ? null : s.getCreated().toInstant(), s.getId());
    }

    /** Where checks reach a server: its floating IP if it has one, else its first fixed address. */
    static String address(Server s) {
        if (s.getAddresses() == null || s.getAddresses().getAddresses() == null) {
            return "";
        }
        List<Address> all = s.getAddresses().getAddresses().values().stream().flatMap(List::stream)
                .map(a -> (Address) a).toList();
        return all.stream().filter(a -> "floating".equals(a.getType())).map(Address::getAddr).findFirst()
                .orElse(all.stream().filter(a -> a.getVersion() != 6).map(Address::getAddr).findFirst()
                        .orElse(all.stream().map(Address::getAddr).findFirst().orElse("")));
    }

    // ------------------------------------------------------------------------------------------------------- apply

    @Override
    public List<Instance> apply(Role role, List<Change> changes, Map<String, VerifiedBinary> binaries)
            throws TargetException, IOException {
        if (role == null) {
            deleteInstances(changes.stream().map(Change::actual).toList());
            Set<String> gone = changes.stream().map(Change::role).collect(Collectors.toCollection(TreeSet::new));
            for (String name : gone) {
                deleteRoleResources(name);
            }
            return List.of();
        }
        // A killed run's extra servers for an instance go first.
        List<Server> extra = duplicates.entrySet().stream().filter(e -> e.getKey().startsWith(role.name() + "-"))
                .flatMap(e -> e.getValue().stream()).toList();
        if (!extra.isEmpty()) {
            log.accept("Removing " + extra.size() + " duplicate server(s) of " + role.name()
                    + " left by an interrupted run");
            deleteServers(extra.stream().map(Server::getId).toList());
            duplicates.keySet().removeIf(k -> k.startsWith(role.name() + "-")); // gone: not again on the next call
        }
        boolean portsChanged = !extra.isEmpty();
        List<Instance> deletes = changes.stream().filter(c -> c.action() == Change.Action.DELETE)
                .map(Change::actual).toList();
        if (!deletes.isEmpty()) {
            deletes.forEach(i -> log.accept("Removing " + i.name() + " (server " + i.id() + ")"));
            deleteInstances(deletes);
        }
        List<Change> creates = changes.stream().filter(c -> c.action() == Change.Action.CREATE).toList();
        List<Change> replaces = changes.stream().filter(c -> c.action() == Change.Action.REPLACE).toList();
        if (!creates.isEmpty() || !replaces.isEmpty()) {
            Boot boot = prepareBoot(role, binaries);
            if (!creates.isEmpty()) {
                creates.forEach(c -> log.accept("Creating " + c.instance() + " (" + c.reason() + ")"));
                bootAndWait(role, boot, creates);
            }
            // Surge: a successor beside the old server, on the port placed for it; the provisioner retires the old one
            // once the successor passes its checks. (Without such a port, the old server goes first, as below.)
            List<Change> surging;
            synchronized (this) {
                surging = replaces.stream().filter(c -> fresh.containsKey(c.instance())).toList();
            }
            replaces = replaces.stream().filter(c -> !surging.contains(c)).toList();
            for (Change change : surging) {
                log.accept("Replacing " + change.instance() + " (" + change.reason() + "): its successor boots on "
                        + fixedIp(fresh.get(change.instance())) + " beside server " + change.actual().id());
                bootAndWait(role, boot, List.of(change));
            }
            if (options.strategy() == Strategy.RECREATE && !replaces.isEmpty()) {
                replaces.forEach(c -> log.accept("Replacing " + c.instance() + " (" + c.reason()
                        + ", all at once: -Ditsvc.strategy=recreate)"));
                deleteServers(replaces.stream().map(c -> c.actual().id()).toList());
                bootAndWait(role, boot, replaces);
            } else {
                int n = 0;
                for (Change change : replaces) {
                    log.accept("Replacing " + change.instance() + " (" + change.reason() + "; " + ++n + " of "
                            + replaces.size() + ", one at a time)");
                    deleteServers(List.of(change.actual().id()));
                    bootAndWait(role, boot, List.of(change));
                }
            }
        }
        List<Instance> now = awaitSettled(role);
        deleteSurplusPorts(role, portsChanged || duplicatePorts(role));
        log.accept("Role " + role.name() + " done; so far on cloud " + cloud().config().name() + ": "
                + cloud().summary());
        return now;
    }

    /** Whether the role has same-named ports, as last listed (a surge's ports aside). */
    private boolean duplicatePorts(Role role) throws TargetException {
        String start = roleResourceName(role.name()) + "-";
        Set<String> surge = surgePortIds();
        return allPorts().stream().filter(p -> !surge.contains(p.getId())).map(Port::getName)
                .filter(n -> n.startsWith(start)).count()
                > ports(false).keySet().stream().filter(n -> n.startsWith(start)).count();
    }

    /** Waits until none of the role's servers is still building (a killed run's may be), then returns them. */
    private List<Instance> awaitSettled(Role role) throws TargetException {
        while (true) {
            // The poll that saw the last started server ACTIVE has the role's servers already.
            Map.Entry<String, List<Server>> last = lastPoll;
            List<Server> now = last != null && last.getKey().equals(role.name()) ? last.getValue()
                    : servers(roleResourceName(role.name()) + "-");
            lastPoll = null;
            if (now.stream().noneMatch(s -> s.getStatus() == Server.Status.BUILD)) {
                Map<Integer, Server> best = new LinkedHashMap<>();
                // A successor booted in this run is its instance from now on, though the old server still runs.
                Set<String> successor;
                synchronized (this) {
                    successor = Set.copyOf(successors.values());
                }
                now.stream().sorted(Comparator.comparing((Server s) -> !successor.contains(s.getId())).thenComparing(BEST))
                        .forEach(s -> best.putIfAbsent(serverIndex(s), s));
                return best.values().stream().filter(s -> serverIndex(s) <= role.count()).map(this::instance)
                        .sorted(Comparator.comparingInt(Instance::index)).toList();
            }
            pause();
        }
    }

    /** What every server of a role is booted with, resolved once. */
    private record Boot(String imageId, String flavorId, String keypair, String serverGroupId) {}

    private Boot prepareBoot(Role role, Map<String, VerifiedBinary> binaries) throws TargetException, IOException {
        String[] source = bootSource(role);
        String imageId = source[0] != null ? source[0] : trustedImage(role, binaries);
        return new Boot(imageId, source[1], keypair(), serverGroup(role));
    }

    /** The role's image and flavor ids, looked up once per run. */
    private synchronized String[] bootSource(Role role) throws TargetException {
        String[] known = bootSources.get(role.name());
        if (known != null) {
            return known;
        }
        String where = "role " + role.name() + " of service.yaml";
        if (role.image() == null) {
            throw new TargetException(where + " has no image" + System.lineSeparator()
                    + "    fix: give it 'image: <name or id of a Glance image>', or 'image: { binary: <name> }' for"
                    + " one of the service's binaries");
        }
        if (role.flavor() == null) {
            throw new TargetException(where + " has no flavor" + System.lineSeparator()
                    + "    fix: give it 'flavor: <name or id>', e.g. one of: " + flavors().names());
        }
        // An image from a binary is found (or uploaded) when the role is applied, with the verified file at hand.
        String[] source = {role.image().name() == null ? null : image(role.image().name(), where),
                flavors().find(role.flavor(), where)};
        bootSources.put(role.name(), source);
        return source;
    }

    private void bootAndWait(Role role, Boot boot, List<Change> changes) throws TargetException, IOException {
        Map<String, Change> started = new LinkedHashMap<>();
        Map<String, String> userData = new LinkedHashMap<>();
        for (Change change : changes) {
            userData.put(change.instance(), userData(change));
        }
        // Ports placement did not make (a port deleted by hand since): made now, in one request.
        List<String[]> missing = new ArrayList<>();
        for (Change change : changes) {
            String name = serverName(role.name(), change.desired().index());
            if (portOf(change) == null) {
                missing.add(new String[] {role.name(), name});
            }
        }
        createPorts(missing);
        List<Server> servers = parallel(changes, change -> boot(role, boot, change, portOf(change),
                userData.get(change.instance())));
        for (int i = 0; i < servers.size(); i++) {
            started.put(servers.get(i).getId(), changes.get(i));
            synchronized (this) {
                if (fresh.containsKey(changes.get(i).instance())) {
                    successors.put(changes.get(i).instance(), servers.get(i).getId());
                }
            }
        }
        awaitActive(role, started);
        if (site.openstack().floatingIp() != null) {
            floatingIps(role, changes);
        }
    }

    /** The port a change's server boots on: the surge's own for a successor, else the instance's. */
    private synchronized Port portOf(Change change) throws TargetException {
        Port surge = fresh.get(change.instance());
        return surge != null ? surge : ports(false).get(serverName(change.role(), change.desired().index()));
    }

    private synchronized Set<String> surgePortIds() {
        return fresh.values().stream().map(Port::getId).collect(Collectors.toSet());
    }

    private Server boot(Role role, Boot boot, Change change, Port port, String userData) throws TargetException {
        OSClientV3 os = cloud().client();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(META_SERVICE, service.name());
        metadata.put(META_SITE, site.name());
        metadata.put(META_ROLE, role.name());
        metadata.put(META_INDEX, Integer.toString(change.desired().index()));
        metadata.put(META_DIGEST, change.desired().configDigest());
        ServerCreateBuilder create = os.compute().servers().serverBuilder()
                .name(serverName(role.name(), change.desired().index()))
                .image(boot.imageId()).flavor(boot.flavorId()).addNetworkPort(port.getId())
                .userData(userData).addMetadata(metadata).keypairName(boot.keypair());
        if (boot.serverGroupId() != null) {
            create.addSchedulerHint("group", boot.serverGroupId());
        }
        return cloud().call("create server " + change.instance(), Cloud.Kind.CREATE,
                () -> os.compute().servers().boot(create.build()));
    }

    /** The instance's rendered cloud-init user-data, base64 for Nova, within Nova's limit. */
    private static String userData(Change change) throws TargetException, IOException {
        Path file = change.desired().rendered().resolve("cloud-init").resolve("user-data");
        if (!Files.isRegularFile(file)) {
            throw new TargetException(change.instance() + " has no rendered cloud-init user-data (" + file + ")"
                    + System.lineSeparator() + "    fix: run mvn itsvc:render-config first");
        }
        String encoded = Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        if (encoded.length() > USER_DATA_LIMIT) {
            throw new TargetException("the cloud-init user-data of " + change.instance() + " (" + file + ") is "
                    + encoded.length() + " bytes in base64; Nova takes at most " + USER_DATA_LIMIT
                    + System.lineSeparator() + "    fix: install large files from binaries instead of rendering"
                    + " them into user-data");
        }
        return encoded;
    }

    /** Polls with one list call per tick until every started server is ACTIVE; ERROR ones are reported and removed. */
    private void awaitActive(Role role, Map<String, Change> started) throws TargetException {
        Map<String, Change> waiting = new LinkedHashMap<>(started);
        List<String> failures = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Instant begun = Instant.now();
        while (!waiting.isEmpty()) {
            if (Instant.now().isAfter(cloud().deadline())) {
                throw new TargetException("servers still not ACTIVE when the run's deadline passed: " + waiting.values()
                        .stream().map(Change::instance).collect(Collectors.joining(", ")) + System.lineSeparator()
                        + "    fix: raise it with -Ditsvc.cloudTimeout=30m, or look at the cloud's compute service");
            }
            pause(begun);
            Map<String, Server> now = new LinkedHashMap<>();
            List<Server> listed = servers(roleResourceName(role.name()) + "-");
            listed.forEach(s -> now.put(s.getId(), s));
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                Server s = now.get(entry.getKey());
                if (s != null && s.getStatus() == Server.Status.ACTIVE) {
                    log.accept(entry.getValue().instance() + " is ACTIVE (server " + s.getId() + ", " + address(s)
                            + ") after " + Duration.between(begun, Instant.now()).toSeconds() + " s");
                    it.remove();
                } else if (s == null || s.getStatus() == Server.Status.ERROR) {
                    failures.add(entry.getValue().instance() + " (server " + entry.getKey() + ") "
                            + (s == null ? "disappeared while it was being built" : "ended in ERROR: "
                                    + fault(s)));
                    if (s != null) {
                        failed.add(s.getId());
                    }
                    it.remove();
                }
            }
            if (waiting.isEmpty() && failures.isEmpty() && site.openstack().floatingIp() == null) {
                lastPoll = Map.entry(role.name(), listed);
            }
        }
        if (!failures.isEmpty()) {
            deleteServers(failed);
            throw new TargetException("the cloud could not build " + failures.size() + " of " + started.size()
                    + " server(s) of role " + role.name() + " (removed again):" + System.lineSeparator() + "  "
                    + String.join(System.lineSeparator() + "  ", failures) + System.lineSeparator()
                    + "    fix: see the fault above (quota, no valid host for the flavor, image or network problems)");
        }
    }

    private String fault(Server s) throws TargetException {
        Fault fault = s.getFault();
        if (fault == null) {
            // Lists may leave the fault out: ask for this server.
            OSClientV3 os = cloud().client();
            Server full = cloud().call("show server " + s.getId(), Cloud.Kind.READ,
                    () -> os.compute().servers().get(s.getId()));
            fault = full == null ? null : full.getFault();
        }
        return fault == null ? "no fault message" : fault.getMessage() + " (code " + fault.getCode() + ")";
    }

    // ------------------------------------------------------------------------------------------------------- surge

    /** The old servers of replaced instances whose successors passed, then the ports only they used. */
    @Override
    public void retire(Role role, List<Change> replaced) throws TargetException {
        List<Change> done;
        synchronized (this) {
            done = replaced.stream().filter(c -> successors.containsKey(c.instance())).toList();
        }
        if (done.isEmpty()) {
            return;
        }
        done.forEach(c -> log.accept("Retiring the old server of " + c.instance() + " (server " + c.actual().id()
                + ", " + c.actual().address() + "): its successor " + successors.get(c.instance()) + " serves"));
        deleteServers(done.stream().map(c -> c.actual().id()).filter(Objects::nonNull).toList());
        Set<String> names = done.stream().map(c -> serverName(c.role(), c.desired().index())).collect(Collectors.toSet());
        Set<String> keep = surgePortIds();
        deletePortsOf(allPorts().stream().filter(p -> names.contains(p.getName()) && !keep.contains(p.getId()))
                .toList());
        synchronized (this) {
            for (Change c : done) {
                Port port = fresh.remove(c.instance());
                successors.remove(c.instance());
                ports.put(port.getName(), port); // the instance's port from now on
            }
        }
    }

    /** Successors that did not pass (and the ports placed for replacements not reached): removed again. */
    @Override
    public void withdraw(List<Change> replaced) throws TargetException {
        List<String> servers = new ArrayList<>();
        List<Port> doomed = new ArrayList<>();
        synchronized (this) {
            for (Change c : replaced) {
                String server = successors.remove(c.instance());
                Port port = fresh.remove(c.instance());
                if (server != null) {
                    servers.add(server);
                    log.accept("Removing the successor of " + c.instance() + " (server " + server + "): "
                            + c.instance() + " keeps serving its previous configuration on " + c.actual().address());
                }
                if (port != null) {
                    doomed.add(port);
                }
            }
        }
        deleteServers(servers);
        deletePortsOf(doomed);
    }

    // ------------------------------------------------------------------------------------------------------ delete

    /**
     * Deletes instances' servers and, in the same pass, their ports and floating IPs (Neutron lets a port go while
     * Nova deletes its server), then waits until the servers are gone. The ports are those of the run's listing, every
     * one of a name an interrupted run made twice included, and those this run made.
     */
    private void deleteInstances(List<Instance> instances) throws TargetException {
        Set<String> names = instances.stream().map(i -> serverName(i.role(), i.index())).collect(Collectors.toSet());
        deleteServersAndPorts(instances.stream().map(Instance::id).filter(Objects::nonNull).toList(),
                allPorts().stream().filter(p -> names.contains(p.getName())).toList());
    }

    private void deleteServers(List<String> ids) throws TargetException {
        deleteServersAndPorts(ids, List.of());
    }

    /** One DELETE per server, floating IP and port, all at once; then one server list per tick until they are gone. */
    private void deleteServersAndPorts(List<String> ids, List<Port> doomed) throws TargetException {
        List<NetFloatingIP> fips = floatingIpsOf(doomed.stream().map(Port::getId).collect(Collectors.toSet()));
        List<Object> work = new ArrayList<>(ids);
        work.addAll(fips);
        work.addAll(doomed);
        parallel(work, item -> {
            OSClientV3 os = cloud().client();
            if (item instanceof String id) {
                return cloud().call("delete server " + id, Cloud.Kind.DELETE, () -> os.compute().servers().delete(id));
            }
            if (item instanceof NetFloatingIP fip) {
                return cloud().call("delete floating IP " + fip.getFloatingIpAddress(), Cloud.Kind.DELETE,
                        () -> os.networking().floatingip().delete(fip.getId()));
            }
            Port port = (Port) item;
            return cloud().call("delete port " + port.getName(), Cloud.Kind.DELETE,
                    () -> os.networking().port().delete(port.getId()));
        });
        forgetPorts(doomed);
        awaitGone(ids);
    }

    /** Waits, one list call per tick, until Nova has these servers gone. */
    private void awaitGone(List<String> ids) throws TargetException {
        Set<String> waiting = new TreeSet<>(ids);
        Instant begun = Instant.now();
        while (!waiting.isEmpty()) {
            if (Instant.now().isAfter(cloud().deadline())) {
                throw new TargetException("servers " + waiting + " were still there when the run's deadline passed"
                        + System.lineSeparator() + "    fix: run mvn itsvc:destroy again, or look at the cloud's"
                        + " compute service");
            }
            pause(begun); // a DELETE is never done at once: the first look waits a tick
            Set<String> left = servers(prefix + "-").stream().map(Server::getId).filter(waiting::contains)
                    .collect(Collectors.toSet());
            waiting.retainAll(left);
        }
    }

    private void deletePortsOf(List<Port> doomed) throws TargetException {
        if (!doomed.isEmpty()) {
            deleteServersAndPorts(List.of(), doomed);
        }
    }

    private synchronized void forgetPorts(List<Port> doomed) {
        Set<String> ids = doomed.stream().map(Port::getId).collect(Collectors.toSet());
        allPorts.removeIf(p -> ids.contains(p.getId()));
        if (ports != null) {
            ports.values().removeIf(p -> ids.contains(p.getId()));
        }
    }

    /**
     * Ports of indexes beyond the role's count (a killed run's that never booted their server included), and the
     * same-named extras an interrupted run left that no server uses.
     *
     * @param refresh list the ports again first (servers were deleted since they were listed)
     */
    private void deleteSurplusPorts(Role role, boolean refresh) throws TargetException {
        if (refresh) {
            ports(true);
        }
        String start = roleResourceName(role.name()) + "-";
        Set<String> seen = new java.util.HashSet<>();
        List<Port> surplus = new ArrayList<>();
        Set<String> surge = surgePortIds(); // free until their successors boot, and wanted
        for (Port port : allPorts()) { // in PORT_ORDER: the first of a name is the instance's
            String name = port.getName();
            if (surge.contains(port.getId())) {
                continue;
            }
            String rest = name.startsWith(start) ? name.substring(start.length()) : "";
            if (!rest.matches("\\d+")) {
                continue;
            }
            boolean extra = !seen.add(name);
            boolean free = port.getDeviceId() == null || port.getDeviceId().isEmpty();
            if (Integer.parseInt(rest) > role.count() || extra && free) {
                surplus.add(port);
            }
        }
        if (!surplus.isEmpty()) {
            log.accept("Removing " + surplus.size() + " port(s) of " + role.name() + " no instance uses ("
                    + surplus.stream().map(Port::getName).sorted().collect(Collectors.joining(", ")) + ")");
            deletePortsOf(surplus);
        }
    }

    private void deleteRoleResources(String role) throws TargetException {
        String name = roleResourceName(role);
        OSClientV3 os = cloud().client();
        for (ServerGroup group : cloud().call("list server groups", Cloud.Kind.READ,
                () -> os.compute().serverGroups().list())) {
            if (name.equals(group.getName())) {
                cloud().call("delete server group " + name, Cloud.Kind.DELETE,
                        () -> os.compute().serverGroups().delete(group.getId()));
            }
        }
        for (SecurityGroup group : cloud().call("list security groups", Cloud.Kind.READ,
                () -> os.networking().securitygroup().list(Map.of("name", name)))) {
            if (isOurs(group, role)) {
                deleteSecurityGroup(group);
            }
        }
        groups.remove(role);
    }

    @Override
    public void destroy() throws TargetException, IOException {
        boolean locked;
        synchronized (this) {
            locked = lock == null;
        }
        if (locked) {
            lock("destroy");
        }
        try {
            destroyLocked();
        } finally {
            if (locked) {
                release();
            }
        }
    }

    /**
     * One round of lists, all at once; then one round of deletes: the servers with their floating IPs and ports (every
     * port of the site's naming, same-named ones an interrupted run made twice included), the server groups (Nova
     * lets a group go while its members are being deleted) and the key pair; the security groups once the ports are
     * gone; then one server list per tick until Nova has the servers gone. Only servers with this service's and
     * site's metadata, and groups whose description says they are this site's, are ours.
     */
    private void destroyLocked() throws TargetException, IOException {
        List<Object> listed = parallel(List.of("servers", "ports", "server groups", "security groups"), what -> {
            OSClientV3 os = cloud().client();
            return switch (what) {
                case "servers" -> servers(prefix + "-");
                case "ports" -> ports(true);
                case "server groups" -> cloud().call("list server groups", Cloud.Kind.READ,
                        () -> os.compute().serverGroups().list());
                default -> cloud().call("list security groups", Cloud.Kind.READ,
                        () -> os.networking().securitygroup().list());
            };
        });
        @SuppressWarnings("unchecked")
        List<Server> servers = (List<Server>) listed.get(0);
        List<ServerGroup> serverGroups = ((List<?>) listed.get(2)).stream().map(g -> (ServerGroup) g)
                .filter(g -> g.getName() != null && g.getName().startsWith(prefix + "-")).toList();
        List<SecurityGroup> securityGroups = ((List<?>) listed.get(3)).stream().map(g -> (SecurityGroup) g)
                .filter(g -> isOurs(g, null)).toList();
        if (!servers.isEmpty()) {
            log.accept("Deleting " + servers.size() + " server(s) of " + service.name() + " on site " + site.name());
        }
        List<Port> doomed = allPorts();
        List<NetFloatingIP> fips = floatingIpsOf(doomed.stream().map(Port::getId).collect(Collectors.toSet()));
        List<Object> work = new ArrayList<>(servers);
        work.addAll(fips);
        work.addAll(doomed);
        work.addAll(serverGroups);
        work.add(prefix); // the key pair: a 404 says there is none
        parallel(work, item -> {
            OSClientV3 os = cloud().client();
            if (item instanceof Server server) {
                return cloud().call("delete server " + server.getId(), Cloud.Kind.DELETE,
                        () -> os.compute().servers().delete(server.getId()));
            } else if (item instanceof NetFloatingIP fip) {
                return cloud().call("delete floating IP " + fip.getFloatingIpAddress(), Cloud.Kind.DELETE,
                        () -> os.networking().floatingip().delete(fip.getId()));
            } else if (item instanceof Port port) {
                return cloud().call("delete port " + port.getName(), Cloud.Kind.DELETE,
                        () -> os.networking().port().delete(port.getId()));
            } else if (item instanceof ServerGroup group) {
                return cloud().call("delete server group " + group.getName(), Cloud.Kind.DELETE,
                        () -> os.compute().serverGroups().delete(group.getId()));
            }
            return cloud().call("delete key pair " + prefix, Cloud.Kind.DELETE,
                    () -> os.compute().keypairs().delete(prefix));
        });
        forgetPorts(doomed);
        // In use (409) only while Neutron still lets their ports go: retried within the run's deadline.
        parallel(securityGroups, group -> {
            deleteSecurityGroup(group);
            return group;
        });
        groups.clear();
        Files.deleteIfExists(privateKeyFile());
        awaitGone(servers.stream().map(Server::getId).toList());
        log.accept("Removed everything itsvc made for " + service.name() + " on site " + site.name() + " ("
                + cloud().summary() + ")");
    }

    // ------------------------------------------------------------------------------------------- shared resources

    /** The role's security group, made or brought in line with its ports and the site's rules. */
    private synchronized SecurityGroup securityGroup(Role role) throws TargetException {
        SecurityGroup known = groups.get(role.name());
        if (known != null) {
            return known;
        }
        OSClientV3 os = cloud().client();
        String name = roleResourceName(role.name());
        List<SecurityGroup> found = cloud().call("list security groups", Cloud.Kind.READ,
                () -> os.networking().securitygroup().list(Map.of("name", name))).stream()
                .filter(g -> isOurs(g, role.name())).map(g -> (SecurityGroup) g)
                .collect(Collectors.toCollection(ArrayList::new));
        SecurityGroup group;
        if (found.isEmpty()) {
            group = cloud().call("create security group " + name, Cloud.Kind.CREATE,
                    () -> os.networking().securitygroup().create(Builders.securityGroup().name(name)
                            .description(groupDescription(role.name())).build()));
            String id = group.getId();
            // Tags too, for the operator's filters (openstack security group list --tags itsvc_site=...); itsvc
            // itself knows its groups by the description, which is written with the group, so a run killed
            // before the tags were set still finds it.
            NeutronResourceTag tags = new NeutronResourceTag();
            tags.addTag("itsvc", META_SERVICE + "=" + service.name(), META_SITE + "=" + site.name(),
                    META_ROLE + "=" + role.name());
            cloud().call("tag security group " + name, Cloud.Kind.UPDATE,
                    () -> os.networking().resourceTags().replace(Resource.SECURITY_GROUP, id, tags));
        } else {
            group = keepOneGroup(role, found);
        }
        Set<String> wanted = new TreeSet<>();
        role.ports().values().forEach(p -> wanted.add(ruleKey("tcp", p, "0.0.0.0/0")));
        site.openstack().rules().forEach(r -> wanted.add(ruleKey(r.protocol(), r.port(), r.from())));
        Map<String, SecurityGroupRule> have = new LinkedHashMap<>();
        for (SecurityGroupRule rule : group.getRules() == null ? List.<SecurityGroupRule>of() : group.getRules()) {
            if ("ingress".equals(rule.getDirection())) {
                have.put(ruleKey(rule.getProtocol(), rule.getPortRangeMin(), rule.getRemoteIpPrefix()), rule);
            }
        }
        String groupId = group.getId();
        for (String key : wanted) {
            if (!have.containsKey(key)) {
                String[] parts = key.split(" ");
                var rule = Builders.securityGroupRule().securityGroupId(groupId).direction("ingress")
                        .ethertype(parts[2].contains(":") ? "IPv6" : "IPv4").protocol(parts[0])
                        .remoteIpPrefix(parts[2]);
                if (!"*".equals(parts[1])) {
                    rule.portRangeMin(Integer.parseInt(parts[1])).portRangeMax(Integer.parseInt(parts[1]));
                }
                cloud().call("add rule " + key + " to " + name, Cloud.Kind.CREATE,
                        () -> os.networking().securityrule().create(rule.build()));
            }
        }
        for (var entry : have.entrySet()) {
            if (!wanted.contains(entry.getKey())) {
                cloud().call("remove rule " + entry.getKey() + " from " + name, Cloud.Kind.DELETE, () -> {
                    os.networking().securityrule().delete(entry.getValue().getId());
                    return null;
                });
            }
        }
        groups.put(role.name(), group);
        return group;
    }

    /** What a role's security group says it is: itsvc's metadata, written when the group is made. */
    private String groupDescription(String role) {
        return "itsvc service=" + service.name() + " site=" + site.name() + " role=" + role;
    }

    /** Whether a group of the site's naming is itsvc's: its description says so (or it has none, as a bare name). */
    private boolean isOurs(SecurityGroup g, String role) {
        String description = g.getDescription();
        return g.getName() != null && g.getName().startsWith(prefix + "-")
                && (description == null || description.isEmpty() || description.startsWith("itsvc service=")
                        && (role == null ? description.startsWith("itsvc service=" + service.name() + " site="
                                + site.name() + " role=") : description.equals(groupDescription(role))));
    }

    /**
     * Of several groups of a role (an interrupted run made one twice), keeps the one most of the site's ports use and
     * removes the others: their ports are moved to the kept one first, since Neutron refuses to delete a group in use.
     */
    private SecurityGroup keepOneGroup(Role role, List<SecurityGroup> found) throws TargetException {
        if (found.size() == 1) {
            return found.get(0);
        }
        List<Port> sitePorts = allPorts();
        Map<String, Long> uses = sitePorts.stream().filter(p -> p.getSecurityGroups() != null)
                .flatMap(p -> p.getSecurityGroups().stream()).collect(Collectors.groupingBy(id -> id,
                        Collectors.counting()));
        found.sort(Comparator.comparing((SecurityGroup g) -> -uses.getOrDefault(g.getId(), 0L))
                .thenComparing(SecurityGroup::getId));
        SecurityGroup kept = found.get(0);
        List<SecurityGroup> extras = found.subList(1, found.size());
        Set<String> extraIds = extras.stream().map(SecurityGroup::getId).collect(Collectors.toSet());
        log.accept("Removing " + extras.size() + " duplicate security group(s) " + roleResourceName(role.name())
                + " left by an interrupted run (keeping " + kept.getId() + ")");
        OSClientV3 os = cloud().client();
        for (Port port : sitePorts) {
            List<String> groupIds = port.getSecurityGroups() == null ? List.of() : port.getSecurityGroups();
            if (groupIds.stream().anyMatch(extraIds::contains)) {
                List<String> moved = new ArrayList<>(groupIds.stream().filter(id -> !extraIds.contains(id)).toList());
                if (!moved.contains(kept.getId())) {
                    moved.add(kept.getId());
                }
                cloud().call("move port " + port.getName() + " to security group " + kept.getId(),
                        Cloud.Kind.UPDATE, () -> os.networking().port().update(withGroups(port.getId(), moved)));
            }
        }
        for (SecurityGroup extra : extras) {
            deleteSecurityGroup(extra);
        }
        return kept;
    }

    private static Port withGroups(String portId, List<String> groupIds) {
        var builder = Builders.port();
        groupIds.forEach(builder::securityGroup);
        Port port = builder.build();
        port.setId(portId);
        return port;
    }

    /** Deletes a group, waiting within the run's deadline while Neutron still counts it in use (409). */
    private void deleteSecurityGroup(SecurityGroup group) throws TargetException {
        OSClientV3 os = cloud().client();
        cloud().callUntilDeadline("delete security group " + group.getName() + " (" + group.getId() + ")",
                Cloud.Kind.DELETE, () -> os.networking().securitygroup().delete(group.getId()));
    }

    private static String ruleKey(String protocol, Integer port, String from) {
        return (protocol == null ? "any" : protocol) + " " + (port == null ? "*" : port) + " "
                + (from == null ? "0.0.0.0/0" : from);
    }

    /** The role's server group: servers of a role with more than one instance are spread over hosts. */
    private String serverGroup(Role role) throws TargetException {
        String policy = site.openstack().antiAffinity();
        if (role.count() < 2 || "none".equals(policy)) {
            return null;
        }
        OSClientV3 os = cloud().client();
        String name = roleResourceName(role.name());
        String wanted = "hard".equals(policy) ? "anti-affinity" : "soft-anti-affinity";
        // The one with the most servers in it; the empty others are what an interrupted run made twice.
        List<ServerGroup> same = cloud().call("list server groups", Cloud.Kind.READ,
                () -> os.compute().serverGroups().list()).stream().filter(g -> name.equals(g.getName())
                        && g.getPolicies() != null && g.getPolicies().contains(wanted))
                .sorted(Comparator.comparing((ServerGroup g) -> g.getMembers() == null ? 0 : -g.getMembers().size())
                        .thenComparing(ServerGroup::getId)).map(g -> (ServerGroup) g).toList();
        if (!same.isEmpty()) {
            for (ServerGroup extra : same.subList(1, same.size())) {
                if (extra.getMembers() == null || extra.getMembers().isEmpty()) {
                    cloud().call("delete duplicate server group " + name, Cloud.Kind.DELETE,
                            () -> os.compute().serverGroups().delete(extra.getId()));
                }
            }
            return same.get(0).getId();
        }
        return cloud().call("create server group " + name, Cloud.Kind.CREATE,
                () -> os.compute().serverGroups().create(name, wanted)).getId();
    }

    /** The site's key pair: the operator's public key, or one the cloud makes whose private half is kept here. */
    private synchronized String keypair() throws TargetException, IOException {
        if (keypair != null) {
            return keypair;
        }
        OSClientV3 os = cloud().client();
        // A server of the site booted with it says it exists; else it is created, and a 409 says it existed.
        if (!keyNames.contains(prefix)) {
            String file = site.openstack().publicKey();
            String publicKey = null;
            if (file != null) {
                Path path = Path.of(file.replaceFirst("^~(?=/|$)", System.getProperty("user.home")));
                if (!Files.isRegularFile(path)) {
                    throw new TargetException("the public key " + path + " of site " + site.name() + " ("
                            + site.location() + ") does not exist" + System.lineSeparator() + "    fix: point"
                            + " 'openstack: { publicKey: ... }' at your public key, or leave it out to have the cloud"
                            + " make a key pair");
                }
                publicKey = Files.readString(path).trim();
            }
            String key = publicKey;
            Keypair made = cloud().call("create key pair " + prefix, Cloud.Kind.CREATE, () -> {
                try {
                    return os.compute().keypairs().create(prefix, key);
                } catch (org.openstack4j.api.exceptions.ResponseException e) {
                    if (e.getStatus() == 409) {
                        return null; // there already: an earlier run made it
                    }
                    throw e;
                }
            });
            if (made != null && made.getPrivateKey() != null) {
                Path privateKey = privateKeyFile();
                Files.createDirectories(privateKey.getParent());
                Files.deleteIfExists(privateKey);
                Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                Files.writeString(privateKey, made.getPrivateKey());
                log.accept("The cloud made key pair " + prefix + "; its private key is " + privateKey);
            }
        }
        keypair = prefix;
        return keypair;
    }

    private Path privateKeyFile() {
        return siteDir.resolve(prefix + ".pem");
    }

    private void floatingIps(Role role, List<Change> changes) throws TargetException {
        OSClientV3 os = cloud().client();
        String external = site.openstack().floatingIp();
        List<? extends Network> networks = cloud().call("list networks", Cloud.Kind.READ,
                () -> os.networking().network().list());
        Network net = networks.stream().filter(n -> external.equals(n.getId()) || external.equals(n.getName()))
                .findFirst().orElseThrow(() -> new TargetException("floating IP network '" + external + "' of site "
                        + site.name() + " (" + site.location() + ") does not exist; the networks there: "
                        + networks.stream().map(Network::getName).sorted().collect(Collectors.joining(", "))
                        + System.lineSeparator() + "    fix: set 'openstack: { floatingIp: <external network> }'"));
        Set<String> portIds = new TreeSet<>();
        for (Change c : changes) {
            Port port = portOf(c);
            if (port != null) {
                portIds.add(port.getId());
            }
        }
        Set<String> have = floatingIpsOf(portIds).stream().map(NetFloatingIP::getPortId).collect(Collectors.toSet());
        for (String portId : portIds) {
            if (!have.contains(portId)) {
                cloud().call("create floating IP", Cloud.Kind.CREATE, () -> os.networking().floatingip().create(
                        Builders.netFloatingIP().floatingNetworkId(net.getId()).portId(portId)
                                .description("itsvc service=" + service.name() + " site=" + site.name()).build()));
            }
        }
    }

    /**
     * The floating IPs on these ports; listed only where there may be some: the site asks for them, or a server of the
     * site was seen with one (a site that dropped 'floatingIp:' still has its floating IPs released).
     */
    private List<NetFloatingIP> floatingIpsOf(Set<String> portIds) throws TargetException {
        if (portIds.isEmpty() || site.openstack().floatingIp() == null && !sawFloatingIp) {
            return List.of();
        }
        OSClientV3 os = cloud().client();
        List<? extends NetFloatingIP> all = cloud().call("list floating IPs", Cloud.Kind.READ,
                () -> os.networking().floatingip().list());
        return all.stream().filter(f -> portIds.contains(f.getPortId())).map(f -> (NetFloatingIP) f).toList();
    }

    private String image(String nameOrId, String where) throws TargetException {
        OSClientV3 os = cloud().client();
        List<? extends Image> byName = cloud().call("find image " + nameOrId, Cloud.Kind.READ,
                () -> os.imagesV2().list(Map.of("name", nameOrId)));
        if (byName.size() == 1) {
            return byName.get(0).getId();
        }
        if (byName.size() > 1) {
            throw new TargetException("image '" + nameOrId + "' of " + where + " is ambiguous: " + byName.size()
                    + " images on cloud " + cloud().config().name() + " have that name ("
                    + byName.stream().map(Image::getId).collect(Collectors.joining(", ")) + ")"
                    + System.lineSeparator() + "    fix: give the image's id instead");
        }
        if (nameOrId.matches("[0-9a-fA-F-]{32,36}")) {
            Image byId = cloud().call("show image " + nameOrId, Cloud.Kind.READ, () -> os.imagesV2().get(nameOrId));
            if (byId != null) {
                return byId.getId();
            }
        }
        List<? extends Image> all = cloud().call("list images", Cloud.Kind.READ,
                () -> os.imagesV2().list(Map.of("limit", "100")));
        throw new TargetException("image '" + nameOrId + "' of " + where + " does not exist on cloud "
                + cloud().config().name() + "; the images there: " + all.stream().map(Image::getName)
                        .filter(Objects::nonNull).sorted().collect(Collectors.joining(", "))
                + System.lineSeparator() + "    fix: set the role's 'image:' to one of them (name or id), or upload"
                + " it: openstack image create ...");
    }

    /**
     * The Glance image of a role's {@code image: { binary: ... }}: one whose content Glance itself hashed to the
     * verified file's SHA-512 ({@code os_hash_algo}/{@code os_hash_value}), whatever its name; uploaded once if there
     * is none. A name is never trusted: an image named like the binary with another content is not booted.
     */
    private synchronized String trustedImage(Role role, Map<String, VerifiedBinary> binaries)
            throws TargetException, IOException {
        String name = role.image().binary();
        String known = trustedImages.get(name);
        if (known != null) {
            return known;
        }
        VerifiedBinary binary = binaries.get(name);
        if (binary == null) {
            throw new TargetException("role " + role.name() + " of service.yaml boots from binary '" + name
                    + "', which was not verified in this run" + System.lineSeparator() + "    fix: declare it under"
                    + " 'binaries:' of service.yaml and run mvn itsvc:verify-binaries");
        }
        String sha512 = binary.digests().sha512() != null ? binary.digests().sha512() : sha512(binary.file());
        OSClientV3 os = cloud().client();
        List<? extends Image> same = cloud().call("find image of binary " + name, Cloud.Kind.READ,
                () -> os.imagesV2().list(Map.of("os_hash_value", sha512)));
        Image match = same.stream().filter(i -> hashOf(i).equals("sha512:" + sha512))
                .filter(i -> i.getStatus() == Image.ImageStatus.ACTIVE).findFirst().orElse(null);
        if (match != null) {
            trustedImages.put(name, match.getId());
            return match.getId();
        }
        // What a killed upload left: itsvc's image records of this binary that never got their content.
        for (Image stale : cloud().call("list images of binary " + name, Cloud.Kind.READ,
                () -> os.imagesV2().list(Map.of("tag", imageTag(name))))) {
            if (stale.getStatus() != Image.ImageStatus.ACTIVE) {
                cloud().call("delete unfinished image " + stale.getId(), Cloud.Kind.DELETE,
                        () -> os.imagesV2().delete(stale.getId()));
            }
        }
        DiskFormat format = diskFormat(binary.file());
        log.accept("Uploading binary " + name + " (" + Files.size(binary.file()) + " bytes, " + format.value()
                + ") to Glance as an image");
        Image made = cloud().call("create image " + name, Cloud.Kind.CREATE, () -> os.imagesV2().create(
                Builders.imageV2().name(name).containerFormat(ContainerFormat.BARE).diskFormat(format)
                        .visibility(Image.ImageVisibility.PRIVATE).tags(List.of("itsvc", imageTag(name)))
                        .additionalProperty("itsvc_sha512", sha512).build()));
        // If it fails for good, the record stays without content; the next run deletes it (above) and uploads anew.
        cloud().call("upload image " + name, Cloud.Kind.UPDATE, () -> os.imagesV2().upload(made.getId(),
                org.openstack4j.model.common.Payloads.create(binary.file().toFile()), made));
        Image stored = cloud().call("show image " + made.getId(), Cloud.Kind.READ,
                () -> os.imagesV2().get(made.getId()));
        if (stored == null || !hashOf(stored).equals("sha512:" + sha512)) {
            cloud().call("delete image " + made.getId(), Cloud.Kind.DELETE, () -> os.imagesV2().delete(made.getId()));
            throw new TargetException("Glance stored binary " + name + " with another content ("
                    + (stored == null ? "no image" : hashOf(stored)) + ", expected sha512:" + sha512 + "); the image"
                    + " was deleted again" + System.lineSeparator() + "    fix: run again; if it recurs, the cloud's"
                    + " image store does not keep what it is sent");
        }
        log.accept("Binary " + name + " is image " + made.getId() + " (sha512 " + sha512.substring(0, 16)
                + "..., as Glance hashed it)");
        trustedImages.put(name, made.getId());
        return made.getId();
    }

    static String imageTag(String binary) {
        return "itsvc_binary=" + binary;
    }

    /** "algorithm:hex" of an image's content as Glance hashed it, or "" if it has none. */
    private static String hashOf(Image image) {
        if (!(image instanceof org.openstack4j.openstack.image.v2.domain.GlanceImage glance)) {
            return "";
        }
        String algo = glance.getAdditionalPropertyValue("os_hash_algo");
        String value = glance.getAdditionalPropertyValue("os_hash_value");
        return algo == null || value == null ? "" : algo + ":" + value.toLowerCase(java.util.Locale.ROOT);
    }

    /** qcow2 by its magic bytes, ISO 9660 by its name, anything else raw. */
    static DiskFormat diskFormat(Path file) throws IOException {
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            if (n == 4 && head[0] == 'Q' && head[1] == 'F' && head[2] == 'I' && (head[3] & 0xff) == 0xfb) {
                return DiskFormat.QCOW2;
            }
        }
        return file.getFileName().toString().endsWith(".iso") ? DiskFormat.ISO : DiskFormat.RAW;
    }

    private static String sha512(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-512");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-512", e);
        }
    }

    private synchronized Flavors flavors() throws TargetException {
        if (flavors == null) {
            OSClientV3 os = cloud().client();
            flavors = new Flavors(cloud().call("list flavors", Cloud.Kind.READ,
                    () -> os.compute().flavors().list()), cloud().config().name());
        }
        return flavors;
    }

    /** The project's flavors, listed once. */
    private record Flavors(List<? extends Flavor> all, String cloudName) {
        String find(String nameOrId, String where) throws TargetException {
            for (Flavor f : all) {
                if (nameOrId.equals(f.getName()) || nameOrId.equals(f.getId())) {
                    return f.getId();
                }
            }
            throw new TargetException("flavor '" + nameOrId + "' of " + where + " does not exist on cloud "
                    + cloudName + "; the flavors there: " + names() + System.lineSeparator()
                    + "    fix: set the role's 'flavor:' to one of them (name or id)");
        }

        String names() {
            return all.stream().map(f -> f.getName() + " (" + f.getVcpus() + " vCPU, " + f.getRam() + " MB)")
                    .sorted().collect(Collectors.joining(", "));
        }
    }

    // ------------------------------------------------------------------------------------------------------- misc

    @Override
    public String logTail(Instance instance, int lines) {
        if (instance.id() == null || cloud == null) {
            return "";
        }
        try {
            OSClientV3 os = cloud.client();
            String console = cloud.call("console log of " + instance.name(), Cloud.Kind.READ,
                    () -> os.compute().servers().getConsoleOutput(instance.id(), lines));
            return console == null ? "" : console.strip();
        } catch (TargetException | RuntimeException e) {
            return "";
        }
    }

    private void pause() throws TargetException {
        Cloud.sleep(options.poll());
    }

    /** Longest wait between two looks at servers the cloud is still working on. */
    static final Duration MAX_POLL = Duration.ofSeconds(5);

    /**
     * The wait before the next look at what the cloud has been working on since {@code begun}: the poll interval, or
     * a tenth of the time waited so far once that is longer (at most {@link #MAX_POLL}). A long wait takes fewer list
     * calls (about 20 for a minute instead of 60) and is overshot by at most a tenth.
     */
    static Duration nextPoll(Duration poll, Duration waited) {
        Duration cap = poll.compareTo(MAX_POLL) > 0 ? poll : MAX_POLL;
        Duration tenth = waited.dividedBy(10);
        return tenth.compareTo(poll) < 0 ? poll : tenth.compareTo(cap) > 0 ? cap : tenth;
    }

    private void pause(Instant begun) throws TargetException {
        Cloud.sleep(nextPoll(options.poll(), Duration.between(begun, Instant.now())));
    }

    @FunctionalInterface
    private interface Task<T, R> {
        R run(T item) throws TargetException, IOException;
    }

    /** Runs one task per item at once (each thread with its own client), in item order; the first failure wins. */
    private <T, R> List<R> parallel(List<T> items, Task<T, R> task) throws TargetException {
        if (items.isEmpty()) {
            return List.of();
        }
        if (items.size() == 1) {
            try {
                return java.util.Collections.singletonList(task.run(items.get(0)));
            } catch (IOException e) {
                throw new TargetException(e.getMessage(), e);
            }
        }
        // Enough threads that a site's deletes (a server and a port per instance) go at once: the cloud queues them.
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(items.size(), 64), r -> {
            Thread t = new Thread(r, "itsvc-openstack");
            t.setDaemon(true);
            t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
            return t;
        });
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    Thread.currentThread().setContextClassLoader(loader);
                    return task.run(item);
                }));
            }
            List<R> results = new ArrayList<>();
            TargetException failure = null;
            for (Future<R> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    TargetException t = cause instanceof TargetException te ? te
                            : new TargetException(String.valueOf(cause.getMessage()), cause);
                    if (failure == null) {
                        failure = t;
                    } else {
                        failure.addSuppressed(t);
                    }
                    results.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TargetException("interrupted");
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
