package io.github.itsvc.target.openstack;

import io.github.itsvc.check.CheckRunner;
import io.github.itsvc.model.DefinitionReader;
import io.github.itsvc.model.Service;
import io.github.itsvc.model.Site;
import io.github.itsvc.render.Renderer;
import io.github.itsvc.target.Provisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * itsvc's side of {@code src/test/bench/openstack-bench.sh}: for each N, provision a role of N servers on the cloud
 * (timed until all are ACTIVE) and destroy it (timed until nothing is left), through the same Provisioner and target
 * as {@code mvn itsvc:provision}/{@code itsvc:destroy}, without Maven's start-up. Prints the figures and writes them
 * in the peer's JSON shape.
 *
 * <p>Usage: {@code OpenStackBench <cloud> <counts, e.g. 1,10,30> <json file> [poll seconds]}
 */
public final class OpenStackBench {

    private OpenStackBench() {}

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (io.github.itsvc.target.TargetException | io.github.itsvc.model.InvalidInputException e) {
            // What the cloud refused, as the goals tell it: one line, no stack trace.
            System.err.println("itsvc bench failed: " + String.join(" / ", e.getMessage().strip().lines()
                    .map(String::strip).toList()));
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String cloudName = args.length > 0 ? args[0] : "openstack-lite";
        String counts = args.length > 1 ? args[1] : "1,10,30";
        Path json = args.length > 2 ? Path.of(args[2]) : null;
        Duration poll = Duration.ofMillis(Math.round(1000 * (args.length > 3 ? Double.parseDouble(args[3]) : 1.0)));
        Path project = Files.createTempDirectory("itsvc-openstack-bench");
        Path definition = project.resolve("src/main/itsvc");
        Files.createDirectories(definition.resolve("sites"));
        Files.writeString(definition.resolve("sites/bench.yaml"), "target: openstack\ncloud: " + cloudName + "\n");
        CloudConfig config = new CloudsYaml(Path.of("."), Path.of(System.getProperty("user.home")), System.getenv())
                .find(cloudName);
        List<String> runs = new ArrayList<>();
        // -Ditsvc.bench.breakdown=true: the requests per call, and the target's log with times, to see where time goes.
        boolean breakdown = Boolean.getBoolean("itsvc.bench.breakdown");
        java.util.function.Consumer<String> trace = line -> {
            if (breakdown) {
                System.out.println("     " + java.time.LocalTime.now().withNano(0) + " " + line);
            }
        };
        System.out.printf("%4s  %9s  %10s  %9s  %10s  %11s%n", "N", "create s", "create req", "delete s",
                "delete req", "req/server");
        for (String count : counts.split(",")) {
            int n = Integer.parseInt(count.trim());
            Files.writeString(definition.resolve("service.yaml"), """
                    name: bench
                    roles:
                      web:
                        count: %d
                        image: cirros
                        flavor: m1.tiny
                        ports: { http: 8080 }
                    """.formatted(n));
            DefinitionReader reader = new DefinitionReader(project, definition);
            Service service = reader.readService();
            Site site = reader.readSite("bench");
            OpenStackTarget.Options options = new OpenStackTarget.Options(false, OpenStackTarget.Strategy.ROLLING,
                    Duration.ofMinutes(20), poll);
            // A fresh target and token per phase, as each Maven run has.
            OpenStackTarget create = new OpenStackTarget(service, site, project.resolve(".itsvc/bench"),
                    () -> Cloud.connect(config, Duration.ofMinutes(20)), options, trace);
            long t0 = System.nanoTime();
            new Provisioner(create, new Renderer(project, definition.resolve("templates"),
                    OpenStackBench.class.getClassLoader()), project.resolve("target/itsvc"),
                    CheckRunner.builder().build(), line -> { }).provision(service, site, List.of(), false);
            double createS = (System.nanoTime() - t0) / 1e9;
            int createReq = create.connection().requests();
            OpenStackTarget destroy = new OpenStackTarget(service, site, project.resolve(".itsvc/bench"),
                    () -> Cloud.connect(config, Duration.ofMinutes(20)), options, trace);
            t0 = System.nanoTime();
            destroy.destroy();
            double deleteS = (System.nanoTime() - t0) / 1e9;
            int deleteReq = destroy.connection().requests();
            if (breakdown) {
                System.out.println("     create: " + create.connection().breakdown());
                System.out.println("     delete: " + destroy.connection().breakdown());
            }
            double perServer = (createReq + deleteReq) / (double) n;
            System.out.printf(Locale.ROOT, "%4d  %9.1f  %10d  %9.1f  %10d  %11.2f%n", n, createS, createReq, deleteS,
                    deleteReq, perServer);
            runs.add(String.format(Locale.ROOT, "{\"n\": %d, \"create_s\": %.2f, \"create_requests\": %d,"
                    + " \"delete_s\": %.2f, \"delete_requests\": %d, \"requests_per_server\": %.2f}", n, createS,
                    createReq, deleteS, deleteReq, perServer));
        }
        if (json != null) {
            Files.writeString(json, "{\"cloud\": \"" + cloudName + "\", \"runs\": [" + String.join(", ", runs)
                    + "]}\n");
        }
    }
}
