package io.github.itsvc.target.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises start and stop of one instance: across JVMs by a file lock (two concurrent Maven runs must not both
 * start it), within a JVM by a lock per directory (file locks are held per JVM, not per thread).
 */
final class InstanceLock implements AutoCloseable {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock jvmLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private InstanceLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    static InstanceLock acquire(Path instanceDir) throws IOException {
        Path key = instanceDir.toAbsolutePath().normalize();
        ReentrantLock jvmLock = IN_JVM.computeIfAbsent(key, k -> new ReentrantLock());
        jvmLock.lock();
        FileChannel channel = null;
        try {
            // Java closes inherited descriptors in children, so a started service never holds this lock.
            channel = FileChannel.open(InstanceLayout.lockFile(key), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            return new InstanceLock(jvmLock, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            jvmLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            jvmLock.unlock();
        }
    }
}
