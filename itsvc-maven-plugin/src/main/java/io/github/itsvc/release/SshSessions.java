package io.github.itsvc.release;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.KeyPasswordProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * SSH sessions for {@code ssh://} and {@code git@host:path} upstreams, as OpenSSH users expect: the keys, config and
 * known_hosts of the SSH directory ({@code ~/.ssh}, or one set for CI), plus a key named in settings.xml. Host keys are
 * always checked: an unknown or changed host key is refused, whatever the SSH config says, and the refusal is kept so
 * the error can say how to add the key. There is no SSH agent: JGit's agent connector is not available here.
 */
final class SshSessions extends SshdSessionFactory {

    /** The host key a connection refused, and whether the host was known with another key. */
    record Refusal(String host, int port, String keyType, String fingerprint, boolean changed) {}

    private final Upstream.Access access;
    private volatile Refusal refusal;

    SshSessions(Upstream.Access access) {
        super(new JGitKeyCache(), null);
        this.access = access;
        if (access.sshDirectory() != null) {
            setSshDirectory(access.sshDirectory().toFile());
        }
    }

    /** The last host key refused, or {@code null}. */
    Refusal refusal() {
        return refusal;
    }

    @Override
    protected List<Path> getDefaultIdentities(File sshDir) {
        // A key named in settings.xml replaces the default id_* files; ~/.ssh/config's IdentityFile still applies.
        return access.sshKey() != null ? List.of(access.sshKey()) : super.getDefaultIdentities(sshDir);
    }

    @Override
    protected KeyPasswordProvider createKeyPasswordProvider(CredentialsProvider provider) {
        return new KeyPasswordProvider() {
            @Override
            public char[] getPassphrase(URIish uri, int attempt) {
                // Asked once per encrypted key; nobody can type one in a batch build.
                char[] passphrase = access.sshPassphrase();
                return attempt > 0 || passphrase == null ? null : Arrays.copyOf(passphrase, passphrase.length);
            }

            @Override
            public void setAttempts(int attempts) {
                // one attempt, always
            }

            @Override
            public boolean keyLoaded(URIish uri, int attempt, Exception error) {
                return false;
            }
        };
    }

    @Override
    protected ServerKeyDatabase createServerKeyDatabase(File homeDir, File sshDir) {
        ServerKeyDatabase known = super.createServerKeyDatabase(homeDir, sshDir);
        return new ServerKeyDatabase() {
            @Override
            public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress,
                    Configuration config) {
                return known.lookup(connectAddress, remoteAddress, strict(config));
            }

            @Override
            public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                    Configuration config, CredentialsProvider provider) {
                Configuration strict = strict(config);
                if (known.accept(connectAddress, remoteAddress, serverKey, strict, null)) {
                    return true;
                }
                String host = connectAddress;
                int port = remoteAddress.getPort();
                if (host.startsWith("[") && host.contains("]:")) { // [host]:port, as known_hosts writes it
                    port = Integer.parseInt(host.substring(host.indexOf("]:") + 2));
                    host = host.substring(1, host.indexOf("]:"));
                }
                refusal = new Refusal(host, port, KeyUtils.getKeyType(serverKey),
                        KeyUtils.getFingerPrint(serverKey),
                        !known.lookup(connectAddress, remoteAddress, strict).isEmpty());
                return false;
            }
        };
    }

    /** The configuration with StrictHostKeyChecking=yes: nothing unknown is accepted, and nothing is asked. */
    private static ServerKeyDatabase.Configuration strict(ServerKeyDatabase.Configuration config) {
        return new ServerKeyDatabase.Configuration() {
            @Override
            public List<String> getUserKnownHostsFiles() {
                return config.getUserKnownHostsFiles();
            }

            @Override
            public List<String> getGlobalKnownHostsFiles() {
                return config.getGlobalKnownHostsFiles();
            }

            @Override
            public StrictHostKeyChecking getStrictHostKeyChecking() {
                return StrictHostKeyChecking.REQUIRE_MATCH;
            }

            @Override
            public boolean getHashKnownHosts() {
                return config.getHashKnownHosts();
            }

            @Override
            public String getUsername() {
                return config.getUsername();
            }
        };
    }
}
