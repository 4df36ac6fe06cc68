package io.github.itsvc.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
}
