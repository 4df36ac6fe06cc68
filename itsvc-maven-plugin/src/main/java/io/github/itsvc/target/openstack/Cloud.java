package io.github.itsvc.target.openstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.itsvc.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.api.types.Facing;
import org.openstack4j.core.transport.Config;
import org.openstack4j.core.transport.ObjectMapperSingleton;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;
import org.openstack4j.openstack.identity.v3.domain.KeystoneToken;

/**
 * One authenticated connection to a cloud for one run: a single Keystone token, shared by per-thread openstack4j
 * clients (openstack4j keeps its session in a thread-local, so each thread gets its own client from the token), and
 * every API call made through {@link #call} so that retries, the run's deadline and the request count live in one
 * place.
 *
 * <p>Retries: a 5xx answer, a 409 (a resource still busy, e.g. a port not yet released by a deleted server) and a
 * timeout are retried with backoff, up to {@link #ATTEMPTS} times and never past the deadline; so is a connection
 * reset (a load balancer closing a kept-alive connection), except that a create is retried only once after one.
 */
public final class Cloud {

    /** Nova microversion for every compute call: soft anti-affinity server groups (2.15), user-data shown (2.3). */
    public static final String COMPUTE_MICROVERSION = "2.15";
    static final int ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    /** What an API call does, for the request count in the run's summary; LOCK: the site's lock, no resource. */
    public enum Kind { READ, CREATE, DELETE, UPDATE, LOCK }

    private final CloudConfig config;
    private final Token token;
    private final Facing facing;
    private final Config transport;
    private final Instant deadline;
    private final ThreadLocal<OSClientV3> clients;
    private final Map<Kind, AtomicInteger> requests;
    private final Map<String, AtomicInteger> byCall = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile Duration firstBackoff = FIRST_BACKOFF;

    private Cloud(CloudConfig config, Token token, Config transport, Instant deadline) {
        this.config = config;
        this.token = token;
        this.facing = config.endpointInterface() == null ? Facing.PUBLIC
                : Facing.value(config.endpointInterface().replace("URL", "").toLowerCase(Locale.ROOT));
        this.transport = transport;
        this.deadline = deadline;
        this.clients = ThreadLocal.withInitial(this::newClient);
        this.requests = Map.of(Kind.READ, new AtomicInteger(), Kind.CREATE, new AtomicInteger(), Kind.DELETE,
                new AtomicInteger(), Kind.UPDATE, new AtomicInteger(), Kind.LOCK, new AtomicInteger());
    }

    /**
     * Authenticates once (Keystone v3: password or application credential).
     *
     * @param timeout the whole run's budget: no call is started or retried after it
     */
    public static Cloud connect(CloudConfig config, Duration timeout) throws TargetException {
        Instant deadline = Instant.now().plus(timeout);
        SSLContext ssl = sslContext(config);
        Config transport = Config.newConfig().withConnectionTimeout(30_000).withReadTimeout(120_000);
        if (ssl != null) {
            transport = transport.withSSLContext(ssl);
        }
        if (!config.verify()) {
            transport = transport.withSSLVerificationDisabled();
        }
        Token token = Keystone.authenticate(config, ssl);
        Cloud cloud = new Cloud(config, token, transport, deadline);
        cloud.requests.get(Kind.READ).incrementAndGet(); // the token
        cloud.byCall.computeIfAbsent("token", k -> new AtomicInteger()).incrementAndGet();
        return cloud;
    }

    /** Shorter waits between retries, for tests. */
    Cloud backoff(Duration first) {
        this.firstBackoff = first;
        return this;
    }

    public CloudConfig config() {
        return config;
    }

    public Instant deadline() {
        return deadline;
    }

    /** This thread's client. */
    public OSClientV3 client() {
        return clients.get();
    }

    private OSClientV3 newClient() {
        OSClientV3 client = OSFactory.clientFromToken(token, facing, transport);
        if (config.region() != null) {
            client.useRegion(config.region());
        }
        return client.headers(Map.of("X-OpenStack-Nova-API-Version", COMPUTE_MICROVERSION,
                "OpenStack-API-Version", "compute " + COMPUTE_MICROVERSION));
    }

    /** Requests made so far, by kind. */
    public int requests(Kind kind) {
        return requests.get(kind).get();
    }

    public int requests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** One line for the log: how many requests of each kind this run made. */
    public String summary() {
        return requests() + " API requests (" + requests(Kind.READ) + " reads, " + requests(Kind.CREATE)
                + " creates, " + requests(Kind.UPDATE) + " updates, " + requests(Kind.DELETE) + " deletes, "
                + requests(Kind.LOCK) + " for the lock)";
    }

    /**
     * Requests made so far by call, ids and numbers in the call's words left out ("delete server *"), for benchmarks
     * and for finding the calls a run could do without.
     */
    public Map<String, Integer> breakdown() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        byCall.forEach((what, n) -> out.put(what, n.get()));
        return out;
    }

    /** The call's words without what varies between calls of a kind: ids, numbers, names after the verb. */
    static String label(String what) {
        return what.replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}", "*").replaceAll("\\b\\d+\\b", "#")
                .replaceAll("itsvc-\\S+", "*").replaceAll("\\([^)]*\\)", "").strip();
    }

    /**
     * Makes one API call through this thread's client, retrying what may pass on a second try.
     *
     * @param what the call in words, for errors: "create server web-1"
     */
    public <T> T call(String what, Kind kind, Supplier<T> call) throws TargetException {
        return call(what, kind, ATTEMPTS, call);
    }

    /**
     * Like {@link #call}, but retries what may pass (a 409 "in use" above all) until the run's deadline rather than a
     * fixed number of times: for deletes that wait on the cloud releasing something, such as a security group whose
     * ports Neutron is still letting go of.
     */
    public <T> T callUntilDeadline(String what, Kind kind, Supplier<T> call) throws TargetException {
        return call(what, kind, Integer.MAX_VALUE, call);
    }

    private <T> T call(String what, Kind kind, int attempts, Supplier<T> call) throws TargetException {
        Duration backoff = firstBackoff;
        boolean resetRetried = false;
        for (int attempt = 1; ; attempt++) {
            if (Instant.now().isAfter(deadline)) {
                throw new TargetException("gave up before '" + what + "': the run's deadline passed"
                        + System.lineSeparator() + "    fix: raise it with -Ditsvc.cloudTimeout=30m, or look at the"
                        + " cloud's health (" + config.authUrl() + ")");
            }
            requests.get(kind).incrementAndGet();
            byCall.computeIfAbsent(label(what), k -> new AtomicInteger()).incrementAndGet();
            String failure;
            boolean retry;
            try {
                T result = call.get();
                if (result instanceof ActionResponse action && !action.isSuccess()) {
                    if (action.getCode() == 404 && kind == Kind.DELETE) {
                        return result; // already gone: what a delete wants
                    }
                    failure = action.getCode() + " " + action.getFault();
                    retry = retryable(action.getCode());
                } else {
                    return result;
                }
            } catch (ConnectionException e) {
                failure = describe(e);
                // A reset is retried once for a create (the server may have acted on it: the next run's discovery
                // removes a duplicate), and like a timeout for reads and deletes, which are safe to repeat.
                boolean reset = isReset(e);
                retry = reset && kind == Kind.CREATE ? !resetRetried : reset || isTimeout(e);
                resetRetried |= reset;
            } catch (ResponseException e) {
                failure = e.getStatus() + " " + e.getMessage();
                if (e.getStatus() == 401) {
                    throw new TargetException(what + ": the cloud refused the token (401) of " + config.who()
                            + System.lineSeparator() + "    fix: run again (a new token is fetched per run)");
                }
                retry = retryable(e.getStatus());
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (!retry || attempt >= attempts || left.compareTo(backoff) < 0) {
                throw new TargetException(what + " failed" + (attempt > 1 ? " after " + attempt + " attempts" : "")
                        + " on cloud " + config.name() + ": " + failure + System.lineSeparator() + "    fix: "
                        + (retry ? "check that the cloud's services answer (" + config.authUrl() + "), then run"
                                + " again: a run finds what an earlier one made and carries on"
                                : "see the cloud's answer; once it is dealt with, run again"));
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    static boolean retryable(int status) {
        return status >= 500 || status == 409 || status == 408 || status == 429;
    }

    private static boolean isReset(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT)
                    .contains("reset") || t instanceof java.io.EOFException) {
                return true;
            }
            if (String.valueOf(t.getMessage()).contains("unexpected end of stream")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    static void sleep(Duration d) throws TargetException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException("interrupted");
        }
    }

    /** The TLS context trusting the cloud's {@code cacert} PEM bundle, or {@code null} for Java's own. */
    static SSLContext sslContext(CloudConfig config) throws TargetException {
        if (config.cacert() == null) {
            return null;
        }
        Path pem = Path.of(config.cacert().replaceFirst("^~(?=/|$)", System.getProperty("user.home")));
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, cert);
            }
            if (n == 0) {
                throw new GeneralSecurityException("no certificate in it");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new TargetException("cannot use the CA bundle " + pem + " (cacert of " + config + "): "
                    + e.getMessage() + System.lineSeparator() + "    fix: point 'cacert' at a readable PEM file of"
                    + " the CA certificates that signed the cloud's endpoints");
        }
    }

    /** Keystone v3 authentication, done here so application credentials work too (openstack4j 3.12 lacks them). */
    static final class Keystone {

        private Keystone() {}

        static Token authenticate(CloudConfig config, SSLContext ssl) throws TargetException {
            String base = config.authUrl().replaceAll("/+$", "");
            if (!base.endsWith("/v3")) {
                base = base + "/v3";
            }
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30));
            if (ssl != null) {
                builder.sslContext(ssl);
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/auth/tokens"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(config).toString())).build();
            HttpResponse<String> response = null;
            for (int attempt = 1; response == null; attempt++) {
                try {
                    response = builder.build().send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    boolean reset = e instanceof SocketException || String.valueOf(e.getMessage()).contains("reset")
                            || e instanceof java.io.EOFException;
                    if (reset && attempt == 1) {
                        continue;
                    }
                    throw unreachable(config, base, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TargetException("interrupted while authenticating to " + config);
                }
            }
            int status = response.statusCode();
            if (status == 401) {
                throw new TargetException("the cloud refused the credentials of " + config.who() + " (cloud "
                        + config.name() + " in " + config.source() + ", " + base + "): 401 Unauthorized"
                        + System.lineSeparator() + "    fix: check the " + (config.usesApplicationCredential()
                                ? "application credential's id and secret" : "user name, password and domains")
                        + " of cloud '" + config.name() + "' (try: openstack --os-cloud " + config.name()
                        + " token issue)");
            }
            if (status / 100 != 2) {
                throw new TargetException("Keystone at " + base + " answered " + status + " to the authentication of "
                        + config.who() + ": " + abbreviate(response.body()) + System.lineSeparator()
                        + "    fix: check the project, domains and auth_url of cloud '" + config.name() + "' in "
                        + config.source());
            }
            String id = response.headers().firstValue("X-Subject-Token").orElse(null);
            try {
                KeystoneToken token = ObjectMapperSingleton.getContext(KeystoneToken.class)
                        .readValue(response.body(), KeystoneToken.class);
                token.setId(id);
                token.setEndpoint(base);
                return token;
            } catch (IOException e) {
                throw new TargetException("Keystone at " + base + " sent a token itsvc cannot read: " + e.getMessage());
            }
        }

        private static TargetException unreachable(CloudConfig config, String base, IOException e) {
            String fix = e instanceof SSLException || e.getCause() instanceof SSLException
                    ? "if the cloud uses its own CA, set 'cacert:' (or OS_CACERT) to its PEM bundle"
                    : e instanceof ConnectException || e.getCause() instanceof ConnectException
                            ? "check auth_url, and that the cloud is up and reachable from here"
                            : "check auth_url and the network to the cloud";
            return new TargetException("cannot reach Keystone at " + base + " (cloud " + config.name() + " in "
                    + config.source() + "): " + e + System.lineSeparator() + "    fix: " + fix);
        }

        static ObjectNode body(CloudConfig c) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode auth = json.createObjectNode();
            ObjectNode identity = auth.putObject("auth").putObject("identity");
            if (c.usesApplicationCredential()) {
                identity.putArray("methods").add("application_credential");
                ObjectNode cred = identity.putObject("application_credential");
                if (c.applicationCredentialId() != null) {
                    cred.put("id", c.applicationCredentialId());
                } else {
                    cred.put("name", c.applicationCredentialName());
                    ObjectNode user = cred.putObject("user");
                    userRef(user, c);
                }
                cred.put("secret", c.applicationCredentialSecret());
                return auth;
            }
            identity.putArray("methods").add("password");
            ObjectNode user = identity.putObject("password").putObject("user");
            userRef(user, c);
            user.put("password", c.password());
            ObjectNode project = ((ObjectNode) auth.get("auth")).putObject("scope").putObject("project");
            if (c.project().id() != null) {
                project.put("id", c.project().id());
            } else {
                project.put("name", c.project().name());
                ref(project.putObject("domain"), c.projectDomain());
            }
            return auth;
        }

        private static void userRef(ObjectNode user, CloudConfig c) {
            if (c.userId() != null) {
                user.put("id", c.userId());
            } else {
                user.put("name", c.username());
                ref(user.putObject("domain"), c.userDomain());
            }
        }

        private static void ref(ObjectNode node, CloudConfig.Ref ref) {
            if (ref.id() != null) {
                node.put("id", ref.id());
            } else {
                node.put("name", ref.name());
            }
        }

        private static String abbreviate(String body) {
            String s = body == null ? "" : body.replaceAll("\\s+", " ");
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }
}
