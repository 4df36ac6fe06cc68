package io.github.itsvc.check;

import io.github.itsvc.check.BoundedBody.Body;
import io.github.itsvc.model.Check;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** {@code GET}s a URL once and compares the answer with what the check expects. */
final class HttpProbe implements Probe {

    /** How much of a body {@code contains} and {@code matches} see. */
    static final int BODY_LIMIT = 1024 * 1024;
    /** How much of a body a failure shows. */
    static final int BODY_SHOWN = 2048;
    /** Response headers a failure shows besides the expected ones: enough to understand it, nothing personal. */
    private static final List<String> SHOWN_HEADERS =
            List.of("content-type", "content-length", "location", "server", "www-authenticate", "retry-after");
    /** Response headers whose value is never shown: they carry session secrets. */
    private static final Set<String> HIDDEN_HEADERS = Set.of("set-cookie", "set-cookie2", "authorization");

    private final HttpClient client;
    private final URI uri;
    private final Check.Expect expect;

    HttpProbe(HttpClient client, URI uri, Check.Expect expect) {
        this.client = client;
        this.uri = uri;
        this.expect = expect;
    }

    static HttpClient newClient() {
        // HTTP/1.1: no h2c upgrade dance with servers that get it wrong. No redirects: see CheckRunner.
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Attempt attempt(Duration timeout) throws InterruptedException {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).GET().timeout(timeout).header("User-Agent", "itsvc-check").build();
        } catch (IllegalArgumentException e) {
            return Attempt.fail("cannot request " + uri + ": " + e.getMessage());
        }
        AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
        CompletableFuture<HttpResponse<Body>> sent = client.sendAsync(request, info -> {
            head.set(info);
            return new BoundedBody(BODY_LIMIT, BoundedBody.charsetOf(info.headers().firstValue("content-type")
                    .orElse(null)));
        });
        HttpResponse<Body> response;
        try {
            // The request's own timeout ends at the headers; this one also covers a body that trickles.
            response = sent.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            return timedOut(timeout, head.get());
        } catch (InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                return timedOut(timeout, head.get());
            }
            return Attempt.fail(describe(cause, timeout) + "\nGET " + uri);
        }
        return judge(response);
    }

    /** Either timeout (the request's or ours) says whether the answer had begun: a hung app or a slow body. */
    private Attempt timedOut(Duration timeout, HttpResponse.ResponseInfo head) {
        return Attempt.fail(head == null
                ? "timed out after " + Text.duration(timeout) + " waiting for an answer\nGET " + uri
                : "timed out after " + Text.duration(timeout) + " reading the body of a " + head.statusCode()
                        + " answer\nGET " + uri + " -> " + head.statusCode());
    }

    private Attempt judge(HttpResponse<Body> response) {
        Body body = response.body();
        List<String> problems = new ArrayList<>();
        int status = response.statusCode();
        int wanted = expect.status() == null ? 200 : expect.status();
        if (status != wanted) {
            String where = response.headers().firstValue("location").orElse(null);
            problems.add("expected status " + wanted + ", got " + status
                    + (status / 100 == 3 && where != null
                            ? " (a redirect to " + where + ", not followed: check that URL, or expect " + status + ")"
                            : ""));
        }
        expect.headers().forEach((name, value) -> {
            List<String> actual = response.headers().allValues(name);
            if (actual.isEmpty()) {
                problems.add("expected header " + name + ": " + Text.quote(value) + ", got none");
            } else if (!actual.contains(value)) {
                problems.add("expected header " + name + ": " + Text.quote(value) + ", got "
                        + (hidden(name) ? "another value" : String.join(", ", actual.stream().map(Text::quote)
                                .toList())));
            }
        });
        String partly = body.truncated() ? " (in its first " + BODY_LIMIT / 1024 + " KiB)" : "";
        if (expect.contains() != null && !body.text().contains(expect.contains())) {
            problems.add("expected the body to contain " + Text.quote(expect.contains()) + partly);
        }
        if (expect.matches() != null && !Pattern.compile(expect.matches()).matcher(body.text()).find()) {
            problems.add("expected the body to match " + Text.quote(expect.matches()) + partly);
        }
        if (problems.isEmpty()) {
            return Attempt.pass(status + " from GET " + uri + " (" + size(body) + ")");
        }
        StringBuilder detail = new StringBuilder(String.join("; ", problems));
        detail.append("\nGET ").append(uri).append(" -> ").append(status);
        Set<String> shown = new LinkedHashSet<>(SHOWN_HEADERS);
        expect.headers().keySet().forEach(h -> shown.add(h.toLowerCase(Locale.ROOT)));
        for (String name : shown) {
            for (String value : response.headers().allValues(name)) {
                detail.append('\n').append(name).append(": ").append(hidden(name) ? "(hidden)" : value);
            }
        }
        detail.append("\n\n");
        if (body.bytes() == 0) {
            detail.append("(empty body)");
        } else {
            detail.append(Text.head(body.text(), BODY_SHOWN));
            if (body.truncated()) {
                detail.append("\n... (the body goes on after " + BODY_LIMIT / 1024 + " KiB)");
            }
        }
        return Attempt.fail(detail.toString());
    }

    private static boolean hidden(String header) {
        return HIDDEN_HEADERS.contains(header.toLowerCase(Locale.ROOT));
    }

    private static String size(Body body) {
        return body.truncated() ? "more than " + body.bytes() + " bytes" : body.bytes() + " bytes";
    }

    /** A {@link ConnectException} is mostly a refusal, but the OS may say something else ("timed out"). */
    static String refusedOrNot(Throwable connectException, String hostPort) {
        String message = connectException.getMessage();
        return message == null || message.toLowerCase(Locale.ROOT).contains("refused")
                ? "connection refused: nothing listens on " + hostPort
                : "cannot connect to " + hostPort + ": " + message;
    }

    /** What went wrong, in the words an operator searches for. */
    private String describe(Throwable error, Duration timeout) {
        String hostPort = uri.getHost() + ":" + (uri.getPort() >= 0 ? uri.getPort()
                : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "timed out after " + Text.duration(timeout) + " connecting to " + hostPort;
            }
            if (t instanceof ConnectException) {
                return refusedOrNot(t, hostPort);
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + uri.getHost();
            }
            if (t instanceof SSLException) {
                return "TLS failed with " + hostPort + ": " + t.getMessage();
            }
        }
        if (error instanceof IOException && error.getMessage() != null) {
            return "connection to " + hostPort + " failed: " + error.getMessage();
        }
        return "request to " + hostPort + " failed: " + error;
    }
}
