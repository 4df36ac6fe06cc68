package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.PasswordAuthentication;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** url: binaries through a real forward proxy on loopback that wants a user and password, as company proxies do. */
class ProxyTest {

    private static final byte[] CONTENT = "the binary\n".getBytes(StandardCharsets.UTF_8);
    private static final PasswordAuthentication ALICE = new PasswordAuthentication("alice", "s3cret".toCharArray());

    @TempDir
    Path dir;

    private Publisher publisher;
    private TestProxy proxy;

    @BeforeEach
    void start() throws Exception {
        publisher = new Publisher().file("/app.tar.gz", CONTENT);
        proxy = new TestProxy("alice", "s3cret");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        publisher.close();
    }

    private HttpFetcher fetcher(PasswordAuthentication credentials) {
        return new HttpFetcher(proxy.selector(), credentials, Duration.ofSeconds(5), Duration.ofSeconds(5), true);
    }

    private HttpFetcher.Download download(HttpFetcher fetcher, String path) throws Exception {
        Path target = Files.createFile(dir.resolve("download-" + System.nanoTime()));
        return fetcher.download(URI.create(publisher.url(path)), target, "app", Progress.NONE, -1, false);
    }

    @Test
    void theSettingsCredentialsGetTheDownloadThroughTheProxy() throws Exception {
        HttpFetcher.Download download = download(fetcher(ALICE), "/app.tar.gz");

        assertThat(download.size()).isEqualTo(CONTENT.length);
        assertThat(download.digests()).isEqualTo(Hasher.hash(writeTemp(CONTENT), false));
        assertThat(proxy.seen).last().asString().endsWith("[authorized]").contains("/app.tar.gz");
        assertThat(publisher.hits("/app.tar.gz")).isEqualTo(1);
    }

    @Test
    void withoutCredentialsTheMessageSaysWhereToGiveThem() {
        Failure failure = catchThrowableOfType(() -> download(fetcher(null), "/app.tar.gz"), Failure.class);

        assertThat(failure.getMessage()).contains("HTTP 407");
        assertThat(failure.fix).contains("<username> and <password>").contains("<proxy> of settings.xml");
        assertThat(publisher.hits("/app.tar.gz")).isZero();
    }

    @Test
    void wrongCredentialsAreRefusedWithAFix() {
        var wrong = new PasswordAuthentication("alice", "guess".toCharArray());

        Failure failure = catchThrowableOfType(() -> download(fetcher(wrong), "/app.tar.gz"), Failure.class);

        assertThat(failure.getMessage()).contains("407");
        assertThat(failure.fix).contains("check <username> and <password>");
        assertThat(failure.getMessage() + failure.fix).doesNotContain("guess");
        assertThat(publisher.hits("/app.tar.gz")).isZero();
    }

    @Test
    void aPublisherThatAsksWhoIsThereNeverGetsTheProxyCredentials() {
        List<String> sentToPublisher = new CopyOnWriteArrayList<>();
        publisher.asksWhoIsThere("/private.tar.gz", sentToPublisher);

        Failure failure = catchThrowableOfType(() -> download(fetcher(ALICE), "/private.tar.gz"), Failure.class);

        assertThat(failure.getMessage()).contains("HTTP 401");
        assertThat(sentToPublisher).isEmpty();
        assertThat(proxy.seen).last().asString().endsWith("[authorized]"); // the proxy did get them
    }

    private Path writeTemp(byte[] content) throws Exception {
        return Files.write(dir.resolve("expected"), content);
    }
}
