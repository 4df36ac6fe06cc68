package io.github.itsvc.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service definition ({@code src/main/itsvc/service.yaml}), validated. Maps keep the order of the file.
 *
 * @param name the service name ({@code [a-z][a-z0-9-]*})
 * @param binaries every binary the roles install, by name
 * @param roles every role, by name, in the order of the file
 * @param location where the definition starts
 */
public record Service(String name, Map<String, Binary> binaries, Map<String, Role> roles, Location location) {

    public Service {
        binaries = Collections.unmodifiableMap(new LinkedHashMap<>(binaries));
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    /**
     * The roles in the order to start them: each after every role it {@code dependsOn}, and otherwise in file order
     * (so a service without dependencies starts top to bottom). Stop in the reverse order.
     *
     * @throws IllegalStateException if dependencies form a cycle or name unknown roles, which a validated service
     *     never has
     */
    public List<Role> startOrder() {
        List<Role> order = new ArrayList<>(roles.size());
        Set<String> started = new LinkedHashSet<>();
        while (order.size() < roles.size()) {
            Role next = roles.values().stream()
                    .filter(r -> !started.contains(r.name()) && started.containsAll(r.dependsOn()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("roles " + roles.keySet().stream()
                            .filter(r -> !started.contains(r)).toList() + " depend on each other or on unknown roles"));
            started.add(next.name());
            order.add(next);
        }
        return List.copyOf(order);
    }
}
