package io.github.itsvc.check;

import io.github.itsvc.model.Check;
import io.github.itsvc.model.Role;
import io.github.itsvc.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** Which checks run where, in what order, and what they are called. */
public final class Checks {

    /** Longest quoted text in a name: names are one line in logs and reports. */
    private static final int NAME_TEXT = 60;

    private Checks() {}

    /**
     * Every check of every role against each of the role's instances: roles in start order, then instances in the
     * order given, then checks in the definition's order. Endpoints of roles the service does not have are ignored.
     */
    public static List<InstanceCheck> plan(Service service, List<Endpoint> endpoints) {
        List<InstanceCheck> plan = new ArrayList<>();
        for (Role role : service.startOrder()) {
            plan.addAll(plan(role, endpoints));
        }
        return List.copyOf(plan);
    }

    /**
     * The checks of one role against each of its instances (those of {@code endpoints} whose role it is), instance
     * by instance: what provisioning waits for before it starts the roles that depend on this one.
     */
    public static List<InstanceCheck> plan(Role role, List<Endpoint> endpoints) {
        List<InstanceCheck> plan = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.role().equals(role.name())) {
                for (Check c : role.checks()) {
                    plan.add(new InstanceCheck(c, e));
                }
            }
        }
        return List.copyOf(plan);
    }

    /** Runs each check in order, one after the other. */
    public static List<CheckResult> runAll(CheckRunner runner, List<InstanceCheck> checks) {
        return runAll(runner, checks, r -> {});
    }

    /**
     * Runs each check in order, one after the other, telling {@code onResult} as each one ends (to log progress
     * while a slow service comes up).
     */
    public static List<CheckResult> runAll(CheckRunner runner, List<InstanceCheck> checks,
            Consumer<CheckResult> onResult) {
        List<CheckResult> results = new ArrayList<>(checks.size());
        for (InstanceCheck c : checks) {
            CheckResult r = runner.run(c);
            onResult.accept(r);
            results.add(r);
        }
        return List.copyOf(results);
    }

    /** Whether every result passed (skipped ones do not). */
    public static boolean allPassed(List<CheckResult> results) {
        return results.stream().allMatch(CheckResult::passed);
    }

    /**
     * A check's stable name on an instance: the instance, then {@link #describe}. E.g.
     * {@code web-1 http :http/ expects 200 contains "team-wiki"}, {@code db-1 tcp :db},
     * {@code web-1 command "bin/health" expects exit 0}.
     */
    public static String name(Check check, Endpoint endpoint) {
        return endpoint.instance() + " " + describe(check);
    }

    /**
     * What a check asks, in one line and the same words every time, so it can name a test case in reports (where
     * a changed name starts a new history). {@code within} and {@code timeout} are left out on purpose: tuning
     * them does not make it another check.
     */
    public static String describe(Check check) {
        Check.Expect e = check.expect() == null ? Check.Expect.none() : check.expect();
        StringBuilder sb = new StringBuilder(check.kind().name().toLowerCase(Locale.ROOT));
        switch (check.kind()) {
            case HTTP -> {
                sb.append(' ').append(isPath(check.target()) ? ":" + check.port() + check.target() : check.target());
                sb.append(" expects ").append(e.status() == null ? 200 : e.status());
            }
            case TCP -> sb.append(" :").append(check.port());
            case COMMAND -> sb.append(' ').append(Text.quote(check.target(), NAME_TEXT))
                    .append(" expects exit ").append(e.status() == null ? 0 : e.status());
        }
        if (e.contains() != null) {
            sb.append(" contains ").append(Text.quote(e.contains(), NAME_TEXT));
        }
        if (e.matches() != null) {
            sb.append(" matches ").append(Text.quote(e.matches(), NAME_TEXT));
        }
        for (Map.Entry<String, String> h : e.headers().entrySet()) {
            sb.append(" header ").append(h.getKey()).append('=').append(Text.quote(h.getValue(), NAME_TEXT));
        }
        return sb.toString();
    }

    static boolean isPath(String target) {
        return target != null && target.startsWith("/");
    }
}
