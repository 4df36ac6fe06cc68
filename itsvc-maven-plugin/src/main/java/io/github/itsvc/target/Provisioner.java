package io.github.itsvc.target;

import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.check.CheckResult;
import io.github.itsvc.check.CheckRunner;
import io.github.itsvc.check.Checks;
import io.github.itsvc.check.Endpoint;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.render.DataModel;
import io.github.itsvc.render.Renderer;
import io.github.itsvc.render.Rendering;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Brings a site to the state its service defines, on any target: place the instances, render their configuration
 * with the real placements, plan (desired against discovered), print the plan, then apply it role by role in
 * {@code dependsOn} order, starting a role only after the roles it depends on pass their checks.
 */
public final class Provisioner {

    /** What a provisioning did. */
    public record Result(Plan plan, List<Instance> instances, List<CheckResult> readiness, boolean applied) {}

    private final Target target;
    private final Renderer renderer;
    private final Path outputRoot;
    private final CheckRunner checks;
    private final Consumer<String> log;

    /**
     * @param target where the instances run
     * @param renderer renders the site with the target's placements
     * @param outputRoot where renderings go, {@code target/itsvc}
     * @param checks runs the readiness checks of roles others depend on
     * @param log where the plan and progress are told
     */
    public Provisioner(Target target, Renderer renderer, Path outputRoot, CheckRunner checks, Consumer<String> log) {
        this.target = target;
        this.renderer = renderer;
        this.outputRoot = outputRoot;
        this.checks = checks;
        this.log = log;
    }

    /**
     * @param binaries the service's verified binaries
     * @param dryRun only render and print the plan; change nothing on the target
     */
    public Result provision(Service service, Site site, List<VerifiedBinary> binaries, boolean dryRun)
            throws InvalidInputException, TargetException, IOException {
        return provision(service, site, binaries, dryRun, false);
    }

    /**
     * @param awaitAll also wait for the checks of roles nothing depends on, so the site is healthy when this
     *     returns (a terminal's {@code provision}; in {@code mvn verify}, test-deployment checks them instead)
     */
    public Result provision(Service service, Site site, List<VerifiedBinary> binaries, boolean dryRun,
            boolean awaitAll) throws InvalidInputException, TargetException, IOException {
        try {
            return provisionHeld(service, site, binaries, dryRun, awaitAll);
        } finally {
            target.release(); // e.g. the openstack target's lock on the cloud, taken by its placements
        }
    }

    private Result provisionHeld(Service service, Site site, List<VerifiedBinary> binaries, boolean dryRun,
            boolean awaitAll) throws InvalidInputException, TargetException, IOException {
        Map<String, VerifiedBinary> byName = new LinkedHashMap<>();
        binaries.forEach(b -> byName.put(b.name(), b));

        List<DesiredInstance> desired = desire(service, site, target.placements(), byName);
        List<Instance> actual = target.discover();
        Plan plan = Plan.between(desired, actual);
        if (target.surge()) {
            plan = surgePlan(service, site, plan, actual, byName);
        }
        log.accept("Plan for " + service.name() + " on site " + site.name() + " (target " + site.target() + "):");
        plan.lines().forEach(line -> log.accept("  " + line));
        if (plan.changes().stream().anyMatch(c -> c.action() == Change.Action.REPLACE)) {
            log.accept("Replaced instances go " + target.replaceOrder());
        }
        if (dryRun) {
            log.accept("Dry run: nothing changed");
            return new Result(plan, actual, List.of(), false);
        }

        List<Instance> instances = new ArrayList<>();
        List<CheckResult> readiness = new ArrayList<>();
        // Surge replacements not yet handed to retire: if the run stops, their successors and fresh addresses go.
        List<Change> unfinished = new ArrayList<>(target.surge() ? plan.changes().stream()
                .filter(c -> c.action() == Change.Action.REPLACE).toList() : List.of());
        try {
            // Instances of roles that are gone first: they may hold resources (ports, quota) the new ones need.
            List<Change> orphans = plan.changes().stream()
                    .filter(c -> c.action() == Change.Action.DELETE && !service.roles().containsKey(c.role()))
                    .toList();
            if (!orphans.isEmpty()) {
                target.apply(null, orphans, byName);
            }
            applyRoles(service, plan, byName, awaitAll, instances, readiness, unfinished);
        } catch (TargetException | IOException | RuntimeException e) {
            if (!unfinished.isEmpty()) {
                try {
                    target.withdraw(List.copyOf(unfinished));
                } catch (TargetException | IOException | RuntimeException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw e;
        }
        // An instance that died at once (a wrong run command, a port taken) is told now, not as "provisioned".
        for (Instance instance : instances) {
            if (!instance.running()) {
                throw new TargetException(instance.name() + " is not running after provisioning; its log:\n"
                        + target.logTail(instance, 30));
            }
        }
        return new Result(plan, instances, readiness, true);
    }

    /** Every wanted instance, rendered with these placements, with its digest. */
    private List<DesiredInstance> desire(Service service, Site site, DataModel.Placements placements,
            Map<String, VerifiedBinary> byName) throws InvalidInputException, IOException {
        Rendering rendering = renderer.render(service, site, outputRoot, placements);
        List<DesiredInstance> desired = new ArrayList<>();
        for (Role role : service.roles().values()) {
            for (int index = 1; index <= role.count(); index++) {
                Path rendered = rendering.siteDir().resolve(role.name()).resolve(DataModel.instanceName(role.name(),
                        index));
                desired.add(new DesiredInstance(role, index, placements.of(role, index), rendered,
                        InstanceDigest.of(role, placements.of(role, index).ports(), rendered, byName)));
            }
        }
        return desired;
    }

    /**
     * The plan when successors come up beside the instances they replace: each replaced instance is placed on a fresh
     * address and everything is rendered again; an instance whose configuration names a new address is replaced too,
     * and so gets one of its own, until nothing more changes (at most every instance once).
     */
    private Plan surgePlan(Service service, Site site, Plan plan, List<Instance> actual,
            Map<String, VerifiedBinary> byName) throws InvalidInputException, TargetException, IOException {
        Set<String> first = replaced(plan);
        Set<String> renewed = new TreeSet<>(first);
        int instances = plan.changes().size();
        for (int round = 0; !renewed.isEmpty() && round <= instances; round++) {
            plan = Plan.between(desire(service, site, target.placements(renewed), byName), actual);
            if (!renewed.addAll(replaced(plan))) {
                break;
            }
        }
        List<Change> changes = new ArrayList<>();
        for (Change c : plan.changes()) {
            if (!renewed.contains(c.instance()) || c.desired() == null) {
                changes.add(c);
                continue;
            }
            String reason = (c.action() != Change.Action.REPLACE ? "moves to a new address"
                    : first.contains(c.instance()) ? c.reason() : c.reason() + ", as it names a peer's new address")
                    + "; its successor comes up on a new address, " + c.desired().placement().address()
                    + ", before the old one goes";
            changes.add(new Change(Change.Action.REPLACE, c.instance(), c.role(), c.desired(), c.actual(), reason));
        }
        return new Plan(changes);
    }

    private static Set<String> replaced(Plan plan) {
        return plan.changes().stream().filter(c -> c.action() == Change.Action.REPLACE).map(Change::instance)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    private void applyRoles(Service service, Plan plan, Map<String, VerifiedBinary> byName, boolean awaitAll,
            List<Instance> instances, List<CheckResult> readiness, List<Change> unfinished)
            throws TargetException, IOException {
        for (Role role : service.startOrder()) {
            boolean dependedOn = hasDependents(service, role);
            boolean checked = awaitAll || dependedOn;
            List<Change> changes = plan.forRole(role.name());
            List<Change> replaces = changes.stream().filter(c -> c.action() == Change.Action.REPLACE).toList();
            List<Instance> now;
            if (target.surge() && !replaces.isEmpty()) {
                // New before old: each successor comes up and passes the role's checks (whether or not the role is
                // otherwise checked here), and only then is its predecessor retired.
                List<Change> first = changes.stream().filter(c -> c.action() != Change.Action.REPLACE
                        || c == replaces.get(0)).toList();
                Map<String, Instance> current = new LinkedHashMap<>();
                for (int i = 0; i < replaces.size(); i++) {
                    Change replace = replaces.get(i);
                    target.apply(role, i == 0 ? first : List.of(replace), byName)
                            .forEach(n -> current.put(n.name(), n));
                    awaitReady(role, List.copyOf(current.values()), dependedOn, replace.instance());
                    unfinished.remove(replace);
                    target.retire(role, List.of(replace));
                }
                now = current.values().stream().sorted(java.util.Comparator.comparingInt(Instance::index)).toList();
            } else if (checked && target.rolling() && !role.checks().isEmpty() && replaces.size() > 1) {
                // A rolling replacement is checked instance by instance: a broken new configuration stops at the
                // first instance, while the others still serve the old one.
                List<Change> first = changes.stream().filter(c -> c.action() != Change.Action.REPLACE
                        || c == replaces.get(0)).toList();
                Map<String, Instance> current = new LinkedHashMap<>();
                target.apply(role, first, byName).forEach(i -> current.put(i.name(), i));
                for (int i = 1; i < replaces.size(); i++) {
                    awaitReady(role, List.copyOf(current.values()), dependedOn, replaces.get(i - 1).instance());
                    target.apply(role, List.of(replaces.get(i)), byName).forEach(n -> current.put(n.name(), n));
                }
                now = current.values().stream().sorted(java.util.Comparator.comparingInt(Instance::index)).toList();
            } else {
                now = target.apply(role, changes, byName);
            }
            instances.addAll(now);
            if (checked) {
                readiness.addAll(awaitReady(role, now, dependedOn, null));
            }
        }
    }

    /** Runs a role's checks; a failure stops provisioning (the roles that depend on it cannot start). */
    private List<CheckResult> awaitReady(Role role, List<Instance> instances, boolean dependedOn, String only)
            throws TargetException, IOException {
        String consequence = only != null && target.surge() ? ", so its successor was removed again and " + only
                + " still runs its previous configuration on its old address, as do the other instances of "
                + role.name() + " (not replaced); the next run tries again"
                : only != null ? ", so the other instances of " + role.name() + " were not replaced (they"
                + " still run their previous configuration)"
                : dependedOn ? ", so the roles that depend on " + role.name() + " were not started" : "";
        // A checked instance must run first: endpoints() leaves out the others, so their checks would not even run.
        for (int index = 1; index <= role.count(); index++) {
            String name = DataModel.instanceName(role.name(), index);
            if (only != null && !only.equals(name)) {
                continue;
            }
            Instance instance = instances.stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
            if (instance == null || !instance.running()) {
                String tail = instance == null ? "" : target.logTail(instance, 30);
                throw new TargetException(name + " is not running (" + (instance == null ? "the target does not have it"
                        : "it stopped right after it was started") + ")" + consequence
                        + (tail.isEmpty() ? "" : ":\n" + tail));
            }
        }
        if (role.checks().isEmpty()) {
            return List.of();
        }
        if (only != null && target.surge()) {
            log.accept("Waiting for the successor of " + only + " to pass its checks before the old one goes");
        } else if (only != null) {
            log.accept("Waiting for " + only + " to pass its checks before the next instance is replaced");
        } else {
            log.accept("Waiting for " + role.name() + " to pass its checks" + (dependedOn
                    ? " before the roles that depend on it start" : ""));
        }
        List<CheckResult> results = Checks.runAll(checks, Checks.plan(role, endpoints(instances).stream()
                .filter(e -> only == null || e.instance().equals(only)).toList()));
        for (CheckResult result : results) {
            if (result.failed()) {
                Instance instance = instances.stream().filter(i -> i.name().equals(result.instance())).findFirst()
                        .orElse(null);
                String tail = instance == null ? "" : target.logTail(instance, 30);
                throw new TargetException(result.instance() + " failed its check " + result.name() + " after "
                        + result.attempts() + " attempts" + consequence + ":\n" + result.detail()
                        + (tail.isEmpty() ? "" : "\n" + tail));
            }
        }
        return results;
    }

    private static boolean hasDependents(Service service, Role role) {
        return service.roles().values().stream().anyMatch(r -> r.dependsOn().contains(role.name()));
    }

    /** The endpoints checks and tests talk to. */
    public static List<Endpoint> endpoints(List<Instance> instances) {
        return instances.stream().filter(Instance::running)
                .map(i -> new Endpoint(i.role(), i.name(), i.address(), i.ports())).toList();
    }
}
