package io.github.itsvc.binaries;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * Downloads over http(s) with the JDK's client: redirects followed here (at most {@value #MAX_REDIRECTS}), so each
 * hop's scheme is checked and an https URL cannot quietly lead to plain http; a connect timeout, a timeout for the
 * answer, and a read timeout while the body streams (no byte for that long aborts); a body shorter than its
 * Content-Length is an error, never a file. The body streams to a file while it is hashed.
 */
final class HttpFetcher {

    static final int MAX_REDIRECTS = 5;
    private static final long POLL_MILLIS = 100;
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(407, "Proxy Authentication Required"),
            Map.entry(408, "Request Timeout"), Map.entry(410, "Gone"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final boolean allowHttp;

    /** @param proxy the proxy selector, or {@code null} for the JVM's default (which reads https.proxyHost...) */
    HttpFetcher(ProxySelector proxy, Duration connectTimeout, Duration readTimeout, boolean allowHttp) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.allowHttp = allowHttp;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .proxy(proxy != null ? proxy : ProxySelector.getDefault())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
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
     */
    Download download(URI uri, Path target, String label, Progress progress, long limit) throws Failure {
        List<URI> hops = new ArrayList<>();
        URI current = uri;
        while (true) {
            checkScheme(hops.isEmpty() ? null : hops.get(hops.size() - 1), current, allowHttp);
            hops.add(current);
            Hop hop = get(current, target, label, progress, limit, hops);
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

    private Hop get(URI uri, Path target, String label, Progress progress, long limit, List<URI> hops)
            throws Failure {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(readTimeout)
                .header("User-Agent", "itsvc (+https://github.com/itsvc)")
                .GET()
                .build();
        AtomicReference<ToHasher> body = new AtomicReference<>();
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Hasher hasher = new Hasher(out);
            CompletableFuture<HttpResponse<Long>> future = client.sendAsync(request, info -> {
                if (info.statusCode() / 100 != 2) {
                    return BodySubscribers.replacing(-1L); // redirects and errors: only the status matters
                }
                long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                ToHasher subscriber = new ToHasher(hasher, limit, length,
                        new ProgressReporter(label, length, progress, System::nanoTime));
                body.set(subscriber);
                return subscriber;
            });
            HttpResponse<Long> response = await(future, body, uri, hops);
            int status = response.statusCode();
            if (status / 100 == 2) {
                long received = hasher.size();
                long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (length >= 0 && received != length) {
                    throw truncated(hops, received, length, "the server closed the connection");
                }
                return new Hop(new Download(uri, hasher.finish(), received), null);
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = response.headers().firstValue("Location").orElse(null);
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
        } catch (IOException e) {
            throw new Failure("cannot write the download to " + target + ": " + e.getMessage(),
                    "check the disk space and permissions of the cache folder, or move it with -Ditsvc.cache");
        }
    }

    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> future, AtomicReference<ToHasher> body,
            URI uri, List<URI> hops) throws Failure {
        while (true) {
            try {
                return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                ToHasher subscriber = body.get();
                if (subscriber != null && subscriber.idleNanos() > readTimeout.toNanos()) {
                    subscriber.cancel();
                    future.cancel(true);
                    throw new Failure(chain(hops) + " sent nothing for " + seconds(readTimeout) + " after "
                            + subscriber.received() + " bytes" + subscriber.ofTotal() + "; gave up",
                            "try again; if the server is just slow, raise the read timeout (-Ditsvc.readTimeout)");
                }
            } catch (InterruptedException e) {
                future.cancel(true);
                ToHasher subscriber = body.get();
                if (subscriber != null) {
                    subscriber.cancel();
                }
                Thread.currentThread().interrupt();
                throw new Failure("the download of " + uri + " was interrupted", "run the build again");
            } catch (CancellationException e) {
                throw new Failure("the download of " + uri + " was cancelled", "run the build again");
            } catch (ExecutionException e) {
                throw failure(e.getCause(), body.get(), uri, hops);
            }
        }
    }

    private Failure failure(Throwable cause, ToHasher body, URI uri, List<URI> hops) {
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof Failure f) {
            return f;
        }
        String host = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        if (cause instanceof HttpConnectTimeoutException) {
            return new Failure("could not connect to " + host + " within " + seconds(connectTimeout) + " (for "
                    + chain(hops) + ")", "check the network and the proxy (the active <proxy> of settings.xml),"
                    + " or raise -Ditsvc.connectTimeout");
        }
        if (cause instanceof HttpTimeoutException) {
            return new Failure(chain(hops) + " did not answer within " + seconds(readTimeout),
                    "try again; if the server is just slow, raise the read timeout (-Ditsvc.readTimeout)");
        }
        if (cause instanceof ConnectException) {
            return new Failure("could not connect to " + host + " (for " + chain(hops) + "): "
                    + describe(cause), "check the URL, the network and any proxy");
        }
        if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
            return new Failure("unknown host " + uri.getHost() + " (for " + chain(hops) + ")",
                    "check the URL's host name and your DNS");
        }
        if (cause instanceof SSLException) {
            return new Failure("the TLS connection to " + host + " failed (for " + chain(hops) + "): "
                    + describe(cause), "check the URL; a proxy that inspects TLS needs its CA certificate in the"
                    + " JVM's trust store");
        }
        if (body != null) {
            return truncated(hops, body.received(), body.total(), describe(cause));
        }
        return new Failure("the download of " + chain(hops) + " failed: " + describe(cause),
                "check the URL and the network, then try again");
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

    private static String fix(int status) {
        if (status == 404 || status == 410) {
            return "check the URL in service.yaml: publishers move old releases (often to an archive URL)";
        }
        if (status == 401 || status == 403 || status == 407) {
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

    /** Streams a 2xx body into the hasher (and its file), noting when bytes last came. */
    private static final class ToHasher implements BodySubscriber<Long> {

        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private final Hasher hasher;
        private final long limit;
        private final ProgressReporter progress;
        private final long total;
        private volatile Flow.Subscription subscription;
        private volatile long lastActivity = System.nanoTime();
        private volatile long received;

        ToHasher(Hasher hasher, long limit, long total, ProgressReporter progress) {
            this.hasher = hasher;
            this.limit = limit;
            this.progress = progress;
            this.total = total;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    if (limit >= 0 && received + buffer.remaining() > limit) {
                        throw new Failure.TooLarge(limit);
                    }
                    received += buffer.remaining();
                    hasher.update(buffer);
                }
                lastActivity = System.nanoTime();
                progress.update(received);
                subscription.request(1);
            } catch (IOException e) {
                fail(new Failure("cannot write the download: " + describe(e), "check the disk space and"
                        + " permissions of the cache folder, or move it with -Ditsvc.cache"));
            } catch (Exception | Error e) {
                fail(e);
            }
        }

        private void fail(Throwable t) {
            subscription.cancel();
            result.completeExceptionally(t);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(received);
        }

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }

        long idleNanos() {
            return System.nanoTime() - lastActivity;
        }

        long received() {
            return received;
        }

        long total() {
            return total;
        }

        String ofTotal() {
            return total >= 0 ? " of " + total : "";
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            result.completeExceptionally(new CancellationException("timed out"));
        }
    }
}
