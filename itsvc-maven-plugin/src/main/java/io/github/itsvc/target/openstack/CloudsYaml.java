package io.github.itsvc.target.openstack;

import io.github.itsvc.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Finds a cloud the way the OpenStack tools do: the entry of that name in the first clouds.yaml that has it
 * ({@code OS_CLIENT_CONFIG_FILE}, {@code ./clouds.yaml}, {@code ~/.config/openstack/clouds.yaml},
 * {@code /etc/openstack/clouds.yaml}), with the same entry of a {@code secure.yaml} beside it laid over it (where
 * passwords may live apart); or, when no clouds.yaml has it and {@code OS_AUTH_URL} is set, the {@code OS_*}
 * variables.
 */
public final class CloudsYaml {

    private static final String ENV_SOURCE = "the OS_* environment variables";

    private final List<Path> searchPath;
    private final Map<String, String> env;

    /**
     * @param workingDirectory where {@code ./clouds.yaml} is looked for (the project's directory)
     * @param home the user's home
     * @param env the environment
     */
    public CloudsYaml(Path workingDirectory, Path home, Map<String, String> env) {
        this(workingDirectory, home, env, Path.of("/etc/openstack/clouds.yaml"));
    }

    /** With another system-wide file than {@code /etc/openstack/clouds.yaml}, for tests. */
    CloudsYaml(Path workingDirectory, Path home, Map<String, String> env, Path systemFile) {
        this.env = env;
        List<Path> paths = new ArrayList<>();
        String explicit = env.get("OS_CLIENT_CONFIG_FILE");
        if (explicit != null && !explicit.isBlank()) {
            paths.add(Path.of(explicit));
        }
        paths.add(workingDirectory.resolve("clouds.yaml"));
        paths.add(home.resolve(".config/openstack/clouds.yaml"));
        paths.add(systemFile);
        this.searchPath = List.copyOf(paths);
    }

    /** Where clouds.yaml files are looked for, in order. */
    public List<Path> searchPath() {
        return searchPath;
    }

    /** The cloud of that name; a clear error naming every clouds.yaml looked at and the clouds they have. */
    public CloudConfig find(String cloud) throws TargetException {
        TreeSet<String> known = new TreeSet<>();
        for (Path file : searchPath) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Map<String, Object> clouds = clouds(file);
            known.addAll(clouds.keySet());
            if (clouds.get(cloud) instanceof Map<?, ?> entry) {
                Map<String, Object> merged = copy(entry);
                Path secure = file.resolveSibling("secure.yaml");
                if (Files.isRegularFile(secure) && clouds(secure).get(cloud) instanceof Map<?, ?> secret) {
                    merge(merged, copy(secret));
                }
                return fromEntry(cloud, file.toString(), merged);
            }
        }
        String authUrl = env.get("OS_AUTH_URL");
        if (authUrl != null && !authUrl.isBlank()) {
            return fromEnv(cloud);
        }
        List<String> looked = searchPath.stream().map(p -> p + (Files.isRegularFile(p) ? "" : " (none)")).toList();
        throw new TargetException("cloud '" + cloud + "' is not in any clouds.yaml (looked at " + String.join(", ",
                looked) + ")" + (known.isEmpty() ? "" : "; the clouds there are: " + String.join(", ", known))
                + ", and OS_AUTH_URL is not set" + System.lineSeparator()
                + "    fix: add an entry '" + cloud + ":' under 'clouds:' in ~/.config/openstack/clouds.yaml (your"
                + " cloud's dashboard offers one to download), set the site's 'cloud:' to one of the clouds there,"
                + " or export the OS_* variables of an openrc file");
    }

    private Map<String, Object> clouds(Path file) throws TargetException {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(file.toString()).build())
                    .loadFromString(Files.readString(file));
        } catch (IOException e) {
            throw new TargetException("cannot read " + file + ": " + e.getMessage() + System.lineSeparator()
                    + "    fix: make it readable, or remove it");
        } catch (YamlEngineException e) {
            throw new TargetException(file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse("")
                    + System.lineSeparator() + "    fix: correct it (clouds.yaml holds 'clouds:' with one entry per"
                    + " cloud)");
        }
        if (root instanceof Map<?, ?> map && map.get("clouds") instanceof Map<?, ?> clouds) {
            return copy(clouds);
        }
        return Map.of();
    }

    private CloudConfig fromEntry(String cloud, String source, Map<String, Object> entry) throws TargetException {
        Map<String, Object> auth = entry.get("auth") instanceof Map<?, ?> a ? copy(a) : Map.of();
        String authType = str(entry.get("auth_type"));
        String authUrl = str(auth.get("auth_url"));
        if (authUrl == null) {
            throw new TargetException("cloud '" + cloud + "' in " + source + " has no auth.auth_url"
                    + System.lineSeparator() + "    fix: add 'auth_url: https://<keystone>:5000/v3' under 'auth:'");
        }
        Object verify = entry.get("verify");
        Object iface = entry.containsKey("interface") ? entry.get("interface") : entry.get("endpoint_type");
        CloudConfig.Ref domain = ref(auth.get("domain_id"), auth.get("domain_name"));
        CloudConfig config = new CloudConfig(cloud, source, authUrl, str(auth.get("username")),
                str(auth.get("user_id")), str(auth.get("password")),
                orElse(ref(auth.get("user_domain_id"), auth.get("user_domain_name")), domain),
                ref(auth.get("project_id"), first(auth.get("project_name"), auth.get("tenant_name"))),
                orElse(ref(auth.get("project_domain_id"), auth.get("project_domain_name")), domain),
                str(auth.get("application_credential_id")), str(auth.get("application_credential_name")),
                str(auth.get("application_credential_secret")), str(entry.get("region_name")), str(iface),
                str(entry.get("cacert")), !(Boolean.FALSE.equals(verify) || "false".equals(str(verify))));
        check(config, authType);
        return config;
    }

    private CloudConfig fromEnv(String cloud) throws TargetException {
        CloudConfig.Ref domain = ref(env.get("OS_DOMAIN_ID"), env.get("OS_DOMAIN_NAME"));
        CloudConfig config = new CloudConfig(cloud, ENV_SOURCE, env.get("OS_AUTH_URL"), blank(env.get("OS_USERNAME")),
                blank(env.get("OS_USER_ID")), blank(env.get("OS_PASSWORD")),
                orElse(ref(env.get("OS_USER_DOMAIN_ID"), env.get("OS_USER_DOMAIN_NAME")), domain),
                ref(env.get("OS_PROJECT_ID"), first(env.get("OS_PROJECT_NAME"), env.get("OS_TENANT_NAME"))),
                orElse(ref(env.get("OS_PROJECT_DOMAIN_ID"), env.get("OS_PROJECT_DOMAIN_NAME")), domain),
                blank(env.get("OS_APPLICATION_CREDENTIAL_ID")), blank(env.get("OS_APPLICATION_CREDENTIAL_NAME")),
                blank(env.get("OS_APPLICATION_CREDENTIAL_SECRET")), blank(env.get("OS_REGION_NAME")),
                blank(first(env.get("OS_INTERFACE"), env.get("OS_ENDPOINT_TYPE"))), blank(env.get("OS_CACERT")),
                !"true".equalsIgnoreCase(env.get("OS_INSECURE")));
        check(config, env.get("OS_AUTH_TYPE"));
        return config;
    }

    /** What Keystone would refuse anyway, said before asking it, with the key to add. */
    private static void check(CloudConfig c, String authType) throws TargetException {
        String where = "cloud '" + c.name() + "' in " + c.source();
        boolean appCred = c.usesApplicationCredential()
                || (authType != null && authType.replace("_", "").contains("applicationcredential"));
        if (authType != null && !authType.replace("_", "").matches("(v3)?(password|applicationcredential)")) {
            throw new TargetException(where + " uses auth_type '" + authType + "', which itsvc does not support"
                    + System.lineSeparator() + "    fix: use 'password' or 'v3applicationcredential'");
        }
        if (appCred) {
            if (c.applicationCredentialSecret() == null || (c.applicationCredentialId() == null
                    && (c.applicationCredentialName() == null || (c.username() == null && c.userId() == null)))) {
                throw new TargetException(where + " uses an application credential but lacks its id or secret"
                        + System.lineSeparator() + "    fix: set application_credential_id and"
                        + " application_credential_secret under 'auth:' (or OS_APPLICATION_CREDENTIAL_ID/_SECRET)");
            }
            return;
        }
        if (c.username() == null && c.userId() == null) {
            throw new TargetException(where + " names no user" + System.lineSeparator()
                    + "    fix: set 'username' under 'auth:' (or OS_USERNAME)");
        }
        if (c.password() == null) {
            throw new TargetException(where + " has no password for " + c.who() + System.lineSeparator()
                    + "    fix: put it in a <server> with id '" + c.name() + "' in your settings.xml, in"
                    + " secure.yaml beside clouds.yaml, or in OS_PASSWORD");
        }
        if (c.project().isEmpty()) {
            throw new TargetException(where + " names no project" + System.lineSeparator()
                    + "    fix: set 'project_name' (or 'project_id') under 'auth:' (or OS_PROJECT_NAME)");
        }
    }

    private static CloudConfig.Ref ref(Object id, Object name) {
        return new CloudConfig.Ref(str(id), str(name));
    }

    private static CloudConfig.Ref orElse(CloudConfig.Ref ref, CloudConfig.Ref fallback) {
        if (!ref.isEmpty()) {
            return ref;
        }
        return fallback.isEmpty() ? CloudConfig.Ref.DEFAULT_DOMAIN : fallback;
    }

    private static Object first(Object a, Object b) {
        return a != null ? a : b;
    }

    private static String str(Object value) {
        return value == null ? null : blank(String.valueOf(value));
    }

    private static String blank(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static Map<String, Object> copy(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.toString(k), v instanceof Map<?, ?> m ? copy(m) : v));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> over) {
        over.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?>) {
                merge((Map<String, Object>) into.get(k), (Map<String, Object>) m);
            } else {
                into.put(k, v);
            }
        });
    }
}
