package io.github.itsvc.target;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Keeps two runs from changing one site at once (two {@code provision}s, or a {@code destroy} during a
 * {@code provision}): an exclusive lock on {@code <instances>/<site>.lock} on the operator's machine, held for the
 * goal's whole run. The file says who holds it, for the message the other run gives. The operating system releases
 * the lock when its process ends, however it ends (kill -9 included), so a lock is never stale; the file that stays
 * behind is harmless.
 *
 * <p>The file sits beside the site's folder, not in it: the local target's {@code destroy} deletes that folder, and a
 * lock on a deleted file would not keep the next run out.
 */
public final class SiteLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private SiteLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a site whose instances are kept in {@code siteDir}. */
    public static Path file(Path siteDir) {
        return siteDir.resolveSibling(siteDir.getFileName() + ".lock");
    }

    /**
     * Takes the site's lock, or fails at once naming its holder.
     *
     * @param siteDir the site's folder of instances, {@code .itsvc/<site>}
     * @param site the site's name, for messages
     * @param goal what this run does, recorded for the other run's message: "itsvc:provision"
     * @throws TargetException when another run holds it
     */
    public static SiteLock acquire(Path siteDir, String site, String goal) throws TargetException, IOException {
        Path file = file(siteDir);
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held in this very JVM (a parallel Maven build)
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new TargetException("site " + site + " is being changed by another run: " + holder + " (lock "
                    + file + ")" + System.lineSeparator() + "    fix: wait until that run ends, or stop it (the lock"
                    + " goes with its process, however it ends; the file itself may stay)");
        }
        String owner = goal + " by process " + ProcessHandle.current().pid() + " of user "
                + System.getProperty("user.name") + " on " + hostName() + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new SiteLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            int n = channel.read(buffer, 0);
            String text = n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "a run that has not yet said who it is" : text;
        } catch (IOException e) {
            return "a run whose lock file cannot be read (" + e.getMessage() + ")";
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this machine";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
