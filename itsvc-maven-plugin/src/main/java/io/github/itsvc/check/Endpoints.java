package io.github.itsvc.check;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one naming of endpoints for everything that runs against a deployment: system properties for the service's
 * own JUnit tests and environment variables for {@code command} checks. Values are {@code address:port}.
 *
 * <ul>
 *   <li>{@code itsvc.endpoint.<role>.<port>} / {@code ITSVC_ENDPOINT_<ROLE>_<PORT>}: the role's first instance</li>
 *   <li>{@code itsvc.endpoint.<instance>.<port>} / {@code ITSVC_ENDPOINT_<INSTANCE>_<PORT>}: each instance</li>
 * </ul>
 * Environment names are upper-case with every character other than a letter or digit turned into {@code _}
 * ({@code web-1}, {@code http} → {@code ITSVC_ENDPOINT_WEB_1_HTTP}).
 */
public final class Endpoints {

    public static final String PROPERTY_PREFIX = "itsvc.endpoint.";
    public static final String ENV_PREFIX = "ITSVC_ENDPOINT_";

    private Endpoints() {}

    /**
     * System properties for the deployment's JUnit tests.
     *
     * @param endpoints every instance, those of a role in order (the first one is the role's)
     * @throws IllegalArgumentException if two endpoints would get one name with different values (a role named like
     *     another role's instance, {@code web-1} next to {@code web}): the definition should not allow it
     */
    public static SortedMap<String, String> systemProperties(List<Endpoint> endpoints) {
        return names(endpoints, false);
    }

    /**
     * Environment variables for {@code command} checks, to add to the inherited environment.
     *
     * @throws IllegalArgumentException as {@link #systemProperties}, and also when names collide only once
     *     upper-cased and with {@code -} turned into {@code _}
     */
    public static SortedMap<String, String> environment(List<Endpoint> endpoints) {
        return names(endpoints, true);
    }

    /** {@code ITSVC_ENDPOINT_<PARTS...>}: what {@link #environment} calls a role's or instance's port. */
    public static String environmentName(String roleOrInstance, String port) {
        return ENV_PREFIX + envPart(roleOrInstance) + "_" + envPart(port);
    }

    /** {@code itsvc.endpoint.<role or instance>.<port>}: what {@link #systemProperties} calls it. */
    public static String propertyName(String roleOrInstance, String port) {
        return PROPERTY_PREFIX + roleOrInstance + "." + port;
    }

    static String envPart(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static SortedMap<String, String> names(List<Endpoint> endpoints, boolean env) {
        SortedMap<String, String> names = new TreeMap<>();
        // Who set each name, to say what collided.
        Map<String, String> owners = new TreeMap<>();
        Set<String> rolesSeen = new HashSet<>();
        for (Endpoint e : endpoints) {
            boolean first = rolesSeen.add(e.role());
            for (String port : e.ports().keySet()) {
                String value = e.hostPort(port);
                if (first) {
                    put(names, owners, env ? environmentName(e.role(), port) : propertyName(e.role(), port), value,
                            "role " + e.role() + "'s port " + port);
                }
                put(names, owners, env ? environmentName(e.instance(), port) : propertyName(e.instance(), port),
                        value, "instance " + e.instance() + "'s port " + port);
            }
        }
        return names;
    }

    private static void put(Map<String, String> names, Map<String, String> owners, String name, String value,
            String owner) {
        String old = names.putIfAbsent(name, value);
        if (old != null && !old.equals(value)) {
            throw new IllegalArgumentException(name + " would name both " + owners.get(name) + " (" + old + ") and "
                    + owner + " (" + value + "); rename one of them");
        }
        owners.putIfAbsent(name, owner);
    }
}
