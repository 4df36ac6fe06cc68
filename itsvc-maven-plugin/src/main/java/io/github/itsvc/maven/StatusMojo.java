package io.github.itsvc.maven;

import io.github.itsvc.check.CheckResult;
import io.github.itsvc.check.CheckRunner;
import io.github.itsvc.check.Checks;
import io.github.itsvc.check.InstanceCheck;
import io.github.itsvc.model.Check;
import io.github.itsvc.model.InvalidInputException;
import io.github.itsvc.model.Service;
import io.github.itsvc.report.Observation;
import io.github.itsvc.target.Instance;
import io.github.itsvc.target.Provisioner;
import io.github.itsvc.target.Target;
import io.github.itsvc.target.TargetException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.eclipse.aether.RepositorySystem;

/**
 * Shows what runs for the site: every instance with its role, process (pid on the local target), ports, health (each
 * check tried once), config digest and since when. Changes nothing. Run from a terminal: {@code mvn itsvc:status}.
 */
@Mojo(name = "status", threadSafe = true)
public class StatusMojo extends AbstractTargetMojo {

    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Inject
    public StatusMojo(RepositorySystem repositorySystem) {
        super(repositorySystem);
    }

    @Override
    protected void run() throws InvalidInputException, IOException, MojoFailureException {
        var reader = definitionReader();
        Service service = reader.readService();
        var chosen = reader.readSite(site);
        List<Instance> instances;
        Target target = target(service, chosen);
        try {
            instances = target.discover();
        } catch (TargetException e) {
            throw new MojoFailureException(e.getMessage());
        }
        Map<String, String> health = new LinkedHashMap<>();
        if (instances.isEmpty()) {
            getLog().info("Nothing of " + service.name() + " exists on site " + chosen.name());
            writeStatusPage(service, chosen, Observation.status(instances, health));
            return;
        }
        CheckRunner runner = checkRunner(target);
        getLog().info(String.format("%-8s %-14s %-8s %-9s %-24s %-14s %-12s %s", "ROLE", "INSTANCE", "STATE", "ID",
                "PORTS", "HEALTH", "CONFIG", "SINCE"));
        for (Instance instance : instances) {
            String ports = instance.ports().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
            getLog().info(String.format("%-8s %-14s %-8s %-9s %-24s %-14s %-12s %s", instance.role(),
                    instance.name(), instance.running() ? "running" : "stopped",
                    instance.id() == null ? "-" : instance.id(), ports,
                    health.computeIfAbsent(instance.name(), n -> health(service, instance, runner)),
                    instance.configDigest().substring(0, Math.min(12, instance.configDigest().length())),
                    since(instance.since())));
        }
        writeStatusPage(service, chosen, Observation.status(instances, health));
    }

    /** Each check of the instance's role, tried once: a status must answer now, not wait for health. */
    private static String health(Service service, Instance instance, CheckRunner runner) {
        var role = service.roles().get(instance.role());
        if (!instance.running() || role == null) {
            return "-";
        }
        if (role.checks().isEmpty()) {
            return "no checks";
        }
        List<InstanceCheck> plan = Checks.plan(role, Provisioner.endpoints(List.of(instance)));
        long passed = plan.stream()
                .map(c -> runner.run(once(c.check()), c.endpoint()))
                .filter(CheckResult::passed)
                .count();
        return passed == plan.size() ? "healthy" : "UNHEALTHY " + passed + "/" + plan.size();
    }

    private static Check once(Check check) {
        return new Check(check.kind(), check.target(), check.port(), check.expect(), Duration.ZERO, check.timeout(),
                check.location());
    }

    private static String since(Instant since) {
        return since == null ? "-" : SINCE.format(since);
    }
}
