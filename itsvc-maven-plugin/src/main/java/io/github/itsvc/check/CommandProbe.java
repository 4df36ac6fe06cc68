package io.github.itsvc.check;

import io.github.itsvc.model.Check;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/** Runs a command once through {@code /bin/sh -c} and compares its exit code and output with what is expected. */
final class CommandProbe implements Probe {

    /** How much output (the end of it) {@code contains} and {@code matches} see. */
    static final int OUTPUT_KEPT = 64 * 1024;
    /** How much output (the end of it) a failure shows. */
    static final int OUTPUT_SHOWN = 2048;
    /** How long to wait for output after the command ended (a child it left running may keep the pipe open). */
    private static final long DRAIN_MILLIS = 1000;

    private final String command;
    private final Path directory;
    private final Map<String, String> environment;
    private final Check.Expect expect;

    CommandProbe(String command, Path directory, Map<String, String> environment, Check.Expect expect) {
        this.command = command;
        this.directory = directory;
        this.environment = environment;
        this.expect = expect;
    }

    @Override
    public Attempt attempt(Duration timeout) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return Attempt.fail("cannot run /bin/sh" + (directory == null ? "" : " in " + directory) + ": "
                    + e.getMessage() + "\n" + commandLine());
        }
        Tail output = new Tail(OUTPUT_KEPT);
        Thread reader = new Thread(() -> output.readAll(process.getInputStream()), "itsvc-check-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                int killed = killTree(process);
                reader.join(DRAIN_MILLIS);
                return Attempt.fail("timed out after " + Text.duration(timeout) + ", killed it"
                        + (killed == 0 ? "" : " and the " + killed + " process(es) it started") + "\n"
                        + commandLine() + "\n" + shown(output));
            }
            reader.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        return judge(process.exitValue(), output);
    }

    private Attempt judge(int exit, Tail output) {
        String text = output.text();
        List<String> problems = new ArrayList<>();
        int wanted = expect.status() == null ? 0 : expect.status();
        if (exit != wanted) {
            problems.add("exit " + exit + ", expected " + wanted + (exit == 127 ? " (command not found?)" : ""));
        }
        String partly = output.dropped() > 0 ? " (in its last " + OUTPUT_KEPT / 1024 + " KiB)" : "";
        if (expect.contains() != null && !text.contains(expect.contains())) {
            problems.add("expected the output to contain " + Text.quote(expect.contains()) + partly);
        }
        if (expect.matches() != null && !Pattern.compile(expect.matches()).matcher(text).find()) {
            problems.add("expected the output to match " + Text.quote(expect.matches()) + partly);
        }
        if (problems.isEmpty()) {
            return Attempt.pass("exit " + exit);
        }
        return Attempt.fail(String.join("; ", problems) + "\n" + commandLine() + "\n" + shown(output));
    }

    private String commandLine() {
        // The command as written, never the environment: it will carry secrets.
        return "/bin/sh -c " + Text.quote(command) + (directory == null ? "" : " in " + directory);
    }

    private static String shown(Tail output) {
        String text = output.text();
        if (text.isEmpty() && output.dropped() == 0) {
            return "(no output)";
        }
        return "output:\n" + Text.tail(text, OUTPUT_SHOWN);
    }

    /**
     * Kills a process and every process it started, so a hung check leaves nothing behind. The descendants are
     * listed first (once the shell dies they are re-parented and no longer found), the shell is killed first (so
     * it starts nothing new), then the rest from the top down. A process that escapes into its own session (a
     * daemon) is beyond reach.
     *
     * @return how many processes besides the shell were killed
     */
    static int killTree(Process process) {
        ProcessHandle root = process.toHandle();
        List<ProcessHandle> descendants = new ArrayList<>(root.descendants().toList());
        descendants.sort(Comparator.comparingInt(h -> depth(h, root.pid())));
        process.destroyForcibly();
        int killed = 0;
        for (ProcessHandle h : descendants) {
            if (h.destroyForcibly()) {
                killed++;
            }
        }
        try {
            process.onExit().get(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // SIGKILL was sent; nothing more to do
        }
        return killed;
    }

    private static int depth(ProcessHandle h, long rootPid) {
        int depth = 0;
        for (ProcessHandle p = h; p != null && p.pid() != rootPid && depth < 100; depth++) {
            p = p.parent().orElse(null);
        }
        return depth;
    }

    /** The last bytes of a stream, decoded in the system's native encoding (what command-line tools write). */
    static final class Tail {
        private final byte[] ring;
        private long total;

        Tail(int capacity) {
            ring = new byte[capacity];
        }

        void readAll(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    append(buffer, n);
                }
            } catch (IOException e) {
                // the process was killed or the stream closed: keep what was read
            }
        }

        synchronized void append(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                ring[(int) (total++ % ring.length)] = b[i];
            }
        }

        /** How many bytes fell off the front. */
        synchronized long dropped() {
            return Math.max(0, total - ring.length);
        }

        synchronized String text() {
            int size = (int) Math.min(total, ring.length);
            byte[] bytes = new byte[size];
            int start = (int) ((total - size) % ring.length);
            for (int i = 0; i < size; i++) {
                bytes[i] = ring[(start + i) % ring.length];
            }
            try {
                return nativeCharset().newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new IllegalStateException("cannot happen with REPLACE", e);
            }
        }

        private static Charset nativeCharset() {
            try {
                return Charset.forName(System.getProperty("native.encoding", Charset.defaultCharset().name()));
            } catch (IllegalArgumentException e) {
                return Charset.defaultCharset();
            }
        }
    }
}
