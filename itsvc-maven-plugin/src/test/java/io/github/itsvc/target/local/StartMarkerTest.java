package io.github.itsvc.target.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartMarkerTest {

    private static final ProcessHandle SELF = ProcessHandle.current();

    @Test
    void aProcessMatchesItsOwnMarker() {
        StartMarker m = StartMarker.of(SELF).orElseThrow();
        assertThat(m.instant()).isEqualTo(SELF.info().startInstant().orElseThrow());
        assertThat(m.matches(SELF)).isTrue();
        assertThat(m.linux() != null).isEqualTo(Procs.hasProc());
    }

    @Test
    void anotherStartInstantDoesNotMatch() {
        StartMarker m = StartMarker.of(SELF).orElseThrow();
        assertThat(new StartMarker(m.instant().plusMillis(10), null).matches(SELF)).isFalse();
        assertThat(new StartMarker(m.instant(), null).matches(SELF)).as("instant alone").isTrue();
    }

    @Test
    void onLinuxTheExactMarkerWinsOverTheInstant() {
        assumeTrue(Procs.hasProc());
        StartMarker m = StartMarker.of(SELF).orElseThrow();
        assertThat(new StartMarker(m.instant(), m.linux() + "1").matches(SELF)).isFalse();
        assertThat(new StartMarker(m.instant().minusSeconds(1), m.linux()).matches(SELF))
                .as("an instant shifted by a clock change").isTrue();
    }

    @Test
    void noMarkerMatchesNothing() {
        assertThat(new StartMarker(null, null).matches(SELF)).isFalse();
    }

    @Test
    void aDeadProcessHasNoMarkerAndMatchesNone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        ProcessHandle h = p.toHandle();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(StartMarker.of(h)).isEmpty();
        assertThat(StartMarker.of(SELF).orElseThrow().matches(h)).isFalse();
    }
}
