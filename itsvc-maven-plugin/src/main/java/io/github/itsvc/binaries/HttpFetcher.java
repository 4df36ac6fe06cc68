package io.github.itsvc.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Downloads over http(s) with the JDK's {@link HttpURLConnection}: redirects followed here (at most
 * {@value #MAX_REDIRECTS}), so each hop's scheme is checked and an https URL cannot quietly lead to plain http; a
 * connect timeout, a timeout for the answer, and a read timeout while the body streams (no byte for that long
 * aborts); a body shorter than its Content-Length is an error, never a file. The body streams to a file while it is
 * hashed.
 *
 * <p>Why not the JDK's {@code HttpClient}: its asynchronous receive path copies every body through small buffers it
 * allocates per read on its selector thread, and costs several times the CPU of a blocking read into large buffers;
 * on a cold download of a large binary, that was most of the cost (see the benchmarks page). Here one thread reads
 * the socket straight into the {@link Hasher}'s 1 MiB buffers, and hashing and writing run beside it.
 */
final class HttpFetcher {

    static final int MAX_REDIRECTS = 5;
    private static final String USER_AGENT = "itsvc (+https://github.com/itsvc)";
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(407, "Proxy Authentication Required"),
            Map.entry(408, "Request Timeout"), Map.entry(410, "Gone"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    private final ProxySelector proxy;
    private final PasswordAuthentication proxyCredentials;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final boolean allowHttp;

    /**
     * @param proxy the proxy selector, or {@code null} for the JVM's default (which reads https.proxyHost...)
     * @param proxyCredentials the answer to a proxy's 407, or {@code null}
     */
    HttpFetcher(ProxySelector proxy, PasswordAuthentication proxyCredentials, Duration connectTimeout,
            Duration readTimeout, boolean allowHttp) {
        this.proxy = proxy;
        this.proxyCredentials = proxyCredentials;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.allowHttp = allowHttp;
    }

    /**
     * What was downloaded.
     *
     * @param uri the URI the body came from, after redirects
     * @param digests the body's digests
     * @param size the body's length
     */
    record Download(URI uri, Digests digests, long size) {}

    /**
     * Downloads {@code uri} into {@code target} (replacing its content), hashing on the way.
     *
     * @param label the binary's name, for progress lines
     * @param limit the most bytes to accept (the pinned size), or -1
     * @param sha512 whether to compute the SHA-512 too (the SHA-256 always is)
     */
    Download download(URI uri, Path target, String label, Progress progress, long limit, boolean sha512)
            throws Failure {
        List<URI> hops = new ArrayList<>();
        URI current = uri;
        while (true) {
            checkScheme(hops.isEmpty() ? null : hops.get(hops.size() - 1), current, allowHttp);
            hops.add(current);
            Hop hop = get(current, target, label, progress, limit, sha512, hops);
            if (hop.download != null) {
                return hop.download;
            }
            if (hops.size() > MAX_REDIRECTS) {
                throw new Failure(uri + " redirects more than " + MAX_REDIRECTS + " times (the last time to "
                        + hop.redirect + ")", "use the final URL the publisher documents; a browser shows where the"
                        + " redirects lead");
            }
            current = hop.redirect;
        }
    }

    /**
     * Whether a URL may be fetched: https always; plain http only if allowed, and never as a downgrade the user did
     * not see coming (an https URL redirected to http); anything else never.
     *
     * @param from the URL that redirected to {@code to}, or {@code null} for the URL as written
     */
    static void checkScheme(URI from, URI to, boolean allowHttp) throws Failure {
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || scheme.equals("http") && allowHttp) {
            return;
        }
        if (scheme.equals("http")) {
            if (from == null) {
                throw new Failure(to + " is plain http, which is refused: anyone on the way could swap the file or"
                        + " learn what you download", "use the publisher's https:// URL, or allow plain http for the"
                        + " site with 'allowHttp: true' in its file under src/main/itsvc/sites/");
            }
            throw new Failure(from + " redirects to " + to + ", plain http, which is refused: an https URL must not"
                    + " lead to an unprotected download", "ask the publisher for an https:// URL that stays on https,"
                    + " or allow plain http for the site with 'allowHttp: true' in its file under"
                    + " src/main/itsvc/sites/");
        }
        throw new Failure((from == null ? to.toString() : from + " redirects to " + to) + ", which is neither"
                + " https nor http", "use the publisher's https:// URL");
    }

    private record Hop(Download download, URI redirect) {}

    /** The proxy for {@code uri}: the selector's first choice, as the JDK's clients take it. */
    private Proxy proxyFor(URI uri) {
        ProxySelector selector = proxy != null ? proxy : ProxySelector.getDefault();
        if (selector == null) {
            return Proxy.NO_PROXY;
        }
        try {
            List<Proxy> proxies = selector.select(uri);
            return proxies == null || proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
        } catch (IllegalArgumentException e) {
            return Proxy.NO_PROXY;
        }
    }

    private Hop get(URI uri, Path target, String label, Progress progress, long limit, boolean sha512,
            List<URI> hops) throws Failure {
        HttpURLConnection connection;
        try {
            Proxy via = proxyFor(uri);
            connection = (HttpURLConnection) uri.toURL().openConnection(via);
            if (proxyCredentials != null && via.type() == Proxy.Type.HTTP) {
                connection.setAuthenticator(new ProxyAuthenticator(via, proxyCredentials));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure("cannot fetch " + chain(hops) + ": " + describe(e), "check the URL");
        }
        boolean complete = false;
        try {
            connection.setInstanceFollowRedirects(false); // followed here, each hop's scheme checked
            connection.setUseCaches(false);
            connection.setConnectTimeout(millis(connectTimeout));
            connection.setReadTimeout(millis(readTimeout));
            connection.setRequestProperty("User-Agent", USER_AGENT);
            connection.setRequestProperty("Accept", "*/*");
            connect(connection, uri, hops);
            int status = answer(connection, uri, hops);
            if (status / 100 == 2) {
                Download download = body(connection, target, label, progress, limit, sha512, uri, hops);
                complete = true;
                return new Hop(download, null);
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = connection.getHeaderField("Location");
                if (location == null) {
                    throw new Failure(chain(hops) + " answered " + status + " without saying where to",
                            "tell the publisher; use the file's final URL meanwhile");
                }
                try {
                    return new Hop(null, uri.resolve(location.strip()));
                } catch (IllegalArgumentException e) {
                    throw new Failure(chain(hops) + " redirects to a malformed URL: " + location,
                            "tell the publisher; use the file's final URL meanwhile");
                }
            }
            throw new Failure(chain(hops) + " answered HTTP " + status + reason(status), fix(status));
        } finally {
            // A body read to its end gave its connection back for the next download from the host (a signature, a
            // checksum list); anything else drops it.
            if (!complete) {
                connection.disconnect();
            }
        }
    }

    private void connect(HttpURLConnection connection, URI uri, List<URI> hops) throws Failure {
        try {
            connection.connect();
        } catch (SocketTimeoutException e) {
            throw new Failure("could not connect to " + host(uri) + " within " + seconds(connectTimeout) + " (for "
                    + chain(hops) + ")", "check the network and the proxy (the active <proxy> of settings.xml),"
                    + " or raise -Ditsvc.connectTimeout");
        } catch (IOException e) {
            throw failure(e, uri, hops);
        }
    }

    /** Sends the request and reads the status line and headers. */
    private int answer(HttpURLConnection connection, URI uri, List<URI> hops) throws Failure {
        try {
            return connection.getResponseCode();
        } catch (SocketTimeoutException e) {
            throw new Failure(chain(hops) + " did not answer within " + seconds(readTimeout),
                    "try again; if the server is just slow, raise the read timeout (-Ditsvc.readTimeout)");
        } catch (IOException e) {
            throw failure(e, uri, hops);
        }
    }

    /**
     * Streams a 2xx body into {@code target}, hashing it on the way. This thread only reads the socket, straight into
     * the {@link Hasher}'s buffers; hashing and writing run on its helper threads.
     */
    private Download body(HttpURLConnection connection, Path target, String label, Progress progress, long limit,
            boolean sha512, URI uri, List<URI> hops) throws Failure {
        long length = connection.getContentLengthLong();
        ProgressReporter reporter = new ProgressReporter(label, length, progress, System::nanoTime);
        long received = 0;
        try (CacheFileWriter out = CacheFileWriter.open(target)) {
            Hasher hasher = new Hasher(out, sha512);
            try (InputStream in = connection.getInputStream()) {
                while (true) {
                    if (Thread.interrupted()) {
                        Thread.currentThread().interrupt();
                        throw new Failure("the download of " + uri + " was interrupted", "run the build again");
                    }
                    // One byte more than the limit tells a file that is too large from one that is just right.
                    long room = limit >= 0 ? limit + 1 - received : Long.MAX_VALUE;
                    int n;
                    try {
                        n = hasher.readFrom(in, room);
                    } catch (SocketTimeoutException e) {
                        throw new Failure(chain(hops) + " sent nothing for " + seconds(readTimeout) + " after "
                                + received + " bytes" + (length >= 0 ? " of " + length : "") + "; gave up",
                                "try again; if the server is just slow, raise the read timeout"
                                        + " (-Ditsvc.readTimeout)");
                    } catch (IOException e) {
                        if (hasher.size() == received) {
                            throw truncated(hops, received, length, describe(e)); // the socket failed
                        }
                        throw e; // the bytes came, but could not be written
                    }
                    if (n < 0) {
                        break;
                    }
                    received += n;
                    if (limit >= 0 && received > limit) {
                        throw new Failure.TooLarge(limit);
                    }
                    reporter.update(received);
                }
                if (length >= 0 && received != length) {
                    throw truncated(hops, received, length, "the server closed the connection");
                }
                return new Download(uri, hasher.finish(), received);
            } finally {
                hasher.abandon(); // no write may come after the file is closed
            }
        } catch (IOException e) {
            throw new Failure("cannot write the download to " + target + ": " + describe(e),
                    "check the disk space and permissions of the cache folder, or move it with -Ditsvc.cache");
        }
    }

    private Failure failure(IOException cause, URI uri, List<URI> hops) {
        if (cause instanceof ConnectException) {
            return new Failure("could not connect to " + host(uri) + " (for " + chain(hops) + "): "
                    + describe(cause), "check the URL, the network and any proxy");
        }
        if (cause instanceof UnknownHostException) {
            return new Failure("unknown host " + uri.getHost() + " (for " + chain(hops) + ")",
                    "check the URL's host name and your DNS");
        }
        if (cause instanceof SSLException) {
            return new Failure("the TLS connection to " + host(uri) + " failed (for " + chain(hops) + "): "
                    + describe(cause), "check the URL; a proxy that inspects TLS needs its CA certificate in the"
                    + " JVM's trust store");
        }
        if (String.valueOf(cause.getMessage()).contains("Unable to tunnel through proxy")) {
            return new Failure("the proxy refused to connect to " + host(uri) + " (for " + chain(hops) + "): "
                    + describe(cause), String.valueOf(cause.getMessage()).contains(" 407 ") ? proxyFix()
                            : "check the active <proxy> of settings.xml and what the proxy allows");
        }
        return new Failure("the download of " + chain(hops) + " failed: " + describe(cause),
                "check the URL and the network, then try again");
    }

    /**
     * Gives the credentials to the proxy the connection goes through, and to nobody else: a publisher that asks
     * (401) gets nothing.
     */
    private static final class ProxyAuthenticator extends Authenticator {
        private final InetSocketAddress proxy;
        private final PasswordAuthentication credentials;

        ProxyAuthenticator(Proxy proxy, PasswordAuthentication credentials) {
            this.proxy = (InetSocketAddress) proxy.address();
            this.credentials = credentials;
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            boolean ours = getRequestorType() == RequestorType.PROXY
                    && proxy.getHostString().equalsIgnoreCase(getRequestingHost())
                    && proxy.getPort() == getRequestingPort();
            return ours ? credentials : null;
        }
    }

    private static String host(URI uri) {
        return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** A timeout for {@link HttpURLConnection}: whole milliseconds, where 0 would mean none. */
    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private static Failure truncated(List<URI> hops, long received, long total, String why) {
        return new Failure("the download of " + chain(hops) + " broke off after " + received + " of "
                + (total >= 0 ? total + " bytes" : "an unknown number of bytes") + " (" + why + ")",
                "try again; if it keeps breaking off, check the network or proxy, or tell the publisher");
    }

    /** {@code https://a/x} or {@code https://b/y (redirected from https://a/x)}. */
    static String chain(List<URI> hops) {
        URI last = hops.get(hops.size() - 1);
        return hops.size() == 1 ? last.toString() : last + " (redirected from " + hops.get(0) + ")";
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static String reason(int status) {
        String reason = REASONS.get(status);
        return reason == null ? "" : " " + reason;
    }

    private String proxyFix() {
        if (proxyCredentials == null) {
            return "the proxy wants to know who you are: give <username> and <password> in the active <proxy> of"
                    + " settings.xml (mvn --encrypt-password encrypts the password)";
        }
        return "check <username> and <password> of the active <proxy> in settings.xml; for https through a proxy"
                + " that takes only Basic authentication, the JVM must allow it: add"
                + " -Djdk.http.auth.tunneling.disabledSchemes= to .mvn/jvm.config";
    }

    private String fix(int status) {
        if (status == 404 || status == 410) {
            return "check the URL in service.yaml: publishers move old releases (often to an archive URL)";
        }
        if (status == 407) {
            return proxyFix();
        }
        if (status == 401 || status == 403) {
            return "check the URL; url: sources are fetched without credentials (for a protected file use a maven:"
                    + " source through your repository manager)";
        }
        if (status == 429 || status >= 500) {
            return "the publisher's server has trouble: try again later";
        }
        return "check the URL in service.yaml";
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
