package io.github.itsvc.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the release tests share, once per test class: bare upstream repositories served by a real {@link GitDaemon} on
 * loopback (and a read-only one, when asked), and signing keys made once and reused by name. Register it as a static
 * field: {@code @RegisterExtension static final GitUpstreams upstreams = new GitUpstreams();}.
 */
final class GitUpstreams implements BeforeAllCallback, AfterAllCallback {

    private Path base;
    private GitDaemon daemon;
    private GitDaemon readOnly;
    private int repositories;
    private final Map<String, ReleaseKeys> keys = new HashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        base = Files.createTempDirectory("itsvc-upstreams");
        Files.createDirectories(repos());
        daemon = GitDaemon.start(repos(), true);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            daemon.close();
            if (readOnly != null) {
                readOnly.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
            keys.clear();
        }
    }

    /** The folder of the bare repositories the daemons serve. */
    Path repos() {
        return base.resolve("repos");
    }

    /** The folder for what a test class shares besides repositories (keys, an SSH server's files). */
    Path shared() {
        return base;
    }

    /** A new, empty bare repository: its name, for {@link #url} and {@link #open}. */
    String newBare() throws Exception {
        String name = "upstream-" + (++repositories) + ".git";
        Git.init().setBare(true).setDirectory(repos().resolve(name).toFile()).call().close();
        return name;
    }

    /** The {@code git://} URL of a repository, pushes allowed. */
    String url(String name) {
        return daemon.url(name);
    }

    /** The {@code git://} URL of a repository on a daemon that refuses pushes (started on first use). */
    String readOnlyUrl(String name) throws Exception {
        if (readOnly == null) {
            readOnly = GitDaemon.start(repos(), false);
        }
        return readOnly.url(name);
    }

    /** The bare repository itself, as a hostile upstream (or a test's assertion) reads and writes it. */
    Repository open(String name) throws IOException {
        return new FileRepositoryBuilder().setGitDir(repos().resolve(name).toFile()).build();
    }

    /** An OpenPGP key by name, made on first use. */
    ReleaseKeys openPgp(String name) throws Exception {
        ReleaseKeys made = keys.get("pgp:" + name);
        if (made == null) {
            made = ReleaseKeys.generate(base.resolve("keys"), name);
            keys.put("pgp:" + name, made);
        }
        return made;
    }

    /** An SSH (ed25519) key by name, made on first use with {@code ssh-keygen}. */
    ReleaseKeys ssh(String name) throws Exception {
        ReleaseKeys made = keys.get("ssh:" + name);
        if (made == null) {
            made = ReleaseKeys.generateSsh(base.resolve("keys"), name);
            keys.put("ssh:" + name, made);
        }
        return made;
    }
}
