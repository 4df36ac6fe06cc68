package io.github.itsvc.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpCheckTest {

    private final CheckRunner runner = CheckRunner.builder().build();

    @Test
    void anOpenPortPasses() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CheckResult r = runner.run(Fixtures.tcp("http", Fixtures.ONCE, Fixtures.TIMEOUT),
                    Fixtures.web(open.getLocalPort()));

            assertThat(r.passed()).as(r.detail()).isTrue();
            assertThat(r.name()).isEqualTo("web-1 tcp :http");
            assertThat(r.detail()).isEqualTo("connected to 127.0.0.1:" + open.getLocalPort());
        }
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int port = Fixtures.closedPort();
        CheckResult r = runner.run(Fixtures.tcp("http", Fixtures.ONCE, Fixtures.TIMEOUT), Fixtures.web(port));

        assertThat(r.passed()).isFalse();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.detail()).isEqualTo("connection refused: nothing listens on 127.0.0.1:" + port);
    }

    @Test
    void aPortThatOpensLaterPassesOnARetry() throws Exception {
        int port = Fixtures.closedPort();
        ServerSocket[] opened = new ServerSocket[1];
        Fixtures.FakeTicker ticker = new Fixtures.FakeTicker() {
            @Override
            public void sleep(Duration duration) {
                super.sleep(duration);
                if (sleeps.size() == 2) {
                    try {
                        opened[0] = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
        try {
            CheckResult r = CheckRunner.builder().ticker(ticker).build()
                    .run(Fixtures.tcp("http", Duration.ofSeconds(10), Fixtures.TIMEOUT), Fixtures.web(port));

            assertThat(r.passed()).as(r.detail()).isTrue();
            assertThat(r.attempts()).isEqualTo(3);
        } finally {
            if (opened[0] != null) {
                opened[0].close();
            }
        }
    }
}
