package io.github.itsvc.check;

import java.time.Duration;

/** Monotonic time and waiting, so tests can run retries without waiting for real. */
public interface Ticker {

    /** Like {@link System#nanoTime()}: only differences mean something. */
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };
}
