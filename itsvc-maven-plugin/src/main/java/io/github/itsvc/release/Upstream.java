package io.github.itsvc.release;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The repository releases are pushed to and fetched from: a URL ({@code git://}, {@code https://}, {@code ssh://},
 * {@code git@host:path}, {@code file:}) and how to get in ({@link Access}, from a settings.xml {@code <server>}).
 * Credentials are never part of a message.
 */
public final class Upstream {

    private static final int TIMEOUT_SECONDS = 60;

    /**
     * How to get into the upstream. For http(s): {@code username} and {@code password} (both {@code null} for none).
     * For SSH: the keys, config and known_hosts of {@code sshDirectory} ({@code null}: {@code ~/.ssh}), plus
     * {@code sshKey} with its {@code sshPassphrase} when set (replacing the default {@code id_*} keys).
     */
    public record Access(String username, char[] password, Path sshDirectory, Path sshKey, char[] sshPassphrase) {

        /** No credentials: a {@code git://} or {@code file:} remote, or SSH with the defaults of {@code ~/.ssh}. */
        public static final Access NONE = new Access(null, null, null, null, null);

        @Override
        public String toString() {
            return "Access[username=" + username + ", sshDirectory=" + sshDirectory + ", sshKey=" + sshKey + "]";
        }
    }

    private final String url;
    private final Access access;
    private final CredentialsProvider credentials;

    public Upstream(String url, Access access) {
        this.url = url;
        this.access = access == null ? Access.NONE : access;
        this.credentials = this.access.username() == null || this.access.password() == null ? null
                : new UsernamePasswordCredentialsProvider(this.access.username(), this.access.password());
    }

    /** Whether the URL is reached over SSH: {@code ssh://}, {@code git+ssh://} or scp-like {@code [user@]host:path}. */
    static boolean isSsh(String url) {
        try {
            URIish uri = new URIish(url);
            String scheme = uri.getScheme();
            return scheme == null ? uri.getHost() != null : scheme.equals("ssh") || scheme.endsWith("+ssh")
                    || scheme.startsWith("ssh+");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Runs a transport command, over a fresh SSH session factory when the URL is SSH (closed after). */
    private <C extends TransportCommand<C, T>, T> T call(C command) throws GitAPIException, ReleaseException {
        if (!isSsh(url)) {
            return command.setCredentialsProvider(credentials).setTimeout(TIMEOUT_SECONDS).call();
        }
        try (SshSessions sessions = new SshSessions(access)) {
            command.setTransportConfigCallback(transport -> {
                if (transport instanceof SshTransport ssh) {
                    ssh.setSshSessionFactory(sessions);
                }
            });
            try {
                return command.setCredentialsProvider(credentials).setTimeout(TIMEOUT_SECONDS).call();
            } catch (GitAPIException | RuntimeException e) {
                throw sshProblem(e, sessions);
            }
        }
    }

    public String url() {
        return url;
    }

    /** The URL of a remote name ({@code origin}) of the repository, or the argument when it is already a URL. */
    public static String resolve(Repository repository, String remote) throws ReleaseException {
        if (remote.contains(":") || remote.contains("/")) {
            return remote;
        }
        String url = repository.getConfig().getString("remote", remote, "url");
        if (url == null) {
            throw new ReleaseException("the repository has no remote '" + remote + "'",
                    "add it (git remote add " + remote + " <url>) or pass -Ditsvc.remote=<url>");
        }
        return url;
    }

    /** The refs the upstream has, by name. */
    Map<String, ObjectId> refs() throws ReleaseException {
        try {
            Collection<Ref> refs = call(Git.lsRemoteRepository().setRemote(url));
            Map<String, ObjectId> byName = new TreeMap<>();
            for (Ref ref : refs) {
                byName.put(ref.getName(), ref.getObjectId());
            }
            return byName;
        } catch (GitAPIException e) {
            throw unreachable(e);
        }
    }

    void fetch(Repository repository, List<String> refSpecs) throws ReleaseException {
        List<RefSpec> specs = refSpecs.stream().map(RefSpec::new).toList();
        try {
            call(Git.wrap(repository).fetch().setRemote(url).setRefSpecs(specs)
                    .setTagOpt(org.eclipse.jgit.transport.TagOpt.NO_TAGS));
        } catch (GitAPIException e) {
            throw unreachable(e);
        }
    }

    /**
     * Pushes refs all together or not at all (an atomic push, where the server supports it), never forced.
     *
     * @return {@code null} when every ref was updated, otherwise what went wrong, ref by ref
     */
    String push(Repository repository, List<String> refs) {
        List<RefSpec> specs = refs.stream().map(r -> new RefSpec(r + ":" + r)).toList();
        try {
            Iterable<PushResult> results = call(Git.wrap(repository).push().setRemote(url).setRefSpecs(specs)
                    .setAtomic(true));
            List<String> problems = new ArrayList<>();
            for (PushResult result : results) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    if (update.getStatus() != RemoteRefUpdate.Status.OK
                            && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        problems.add(update.getRemoteName() + ": " + update.getStatus().name().toLowerCase()
                                .replace('_', ' ') + (update.getMessage() == null ? "" : " (" + update.getMessage()
                                        + ")"));
                    }
                }
            }
            return problems.isEmpty() ? null : String.join("; ", problems);
        } catch (GitAPIException | RuntimeException e) {
            return String.valueOf(e.getMessage());
        } catch (ReleaseException e) {
            return e.getMessage().lines().findFirst().orElse(""); // the fix comes with the caller's
        }
    }

    /** An SSH failure said in SSH terms: an unknown or changed host key, a key the server refused. */
    private ReleaseException sshProblem(Exception e, SshSessions sessions) {
        String where = "the upstream repository " + url;
        SshSessions.Refusal refused = sessions.refusal();
        if (refused != null) {
            String hostPort = refused.port() == 22 ? refused.host() : "[" + refused.host() + "]:" + refused.port();
            String knownHosts = (access.sshDirectory() == null ? "~/.ssh" : access.sshDirectory().toString())
                    + "/known_hosts";
            String scan = "ssh-keyscan -t " + keyscanType(refused.keyType()) + (refused.port() == 22 ? ""
                    : " -p " + refused.port()) + " " + refused.host() + " >> " + knownHosts;
            if (refused.changed()) {
                return new ReleaseException("the host key of " + hostPort + " (" + refused.keyType() + " "
                        + refused.fingerprint() + ") is not the one " + knownHosts + " lists for it: refused, nothing"
                        + " was sent to " + where, "if the server's key really changed, check the new fingerprint"
                                + " with its administrator, remove the old line (ssh-keygen -R '" + hostPort + "' -f "
                                + knownHosts + ") and add the new one: " + scan);
            }
            return new ReleaseException("the host " + hostPort + " of " + where + " is not in " + knownHosts
                    + " (its " + refused.keyType() + " key is " + refused.fingerprint() + "): refused, host keys are"
                    + " always checked", "check that fingerprint with the server's administrator, then add the key: "
                            + scan);
        }
        String message = causes(e);
        if (message.contains("no more keys to try") || message.contains("server refused")
                || message.contains("Authentication failed") || message.contains("no keys to try")
                || message.contains("No more authentication methods")) {
            return new ReleaseException("the SSH server of " + where + " refused the keys offered: " + firstLine(
                    e.getMessage()), "give the account's private key to the <server> of the upstream in settings.xml"
                            + " (<privateKey>, and <passphrase> if it has one), or put it in "
                            + (access.sshDirectory() == null ? "~/.ssh" : access.sshDirectory().toString())
                            + " (id_ed25519, or an IdentityFile in its config); the server must list its public key"
                            + " in authorized_keys");
        }
        if (message.contains("passphrase") || message.contains("password") && message.contains("key")
                || message.contains("decrypt")) {
            return new ReleaseException("cannot load the SSH key for " + where + " (wrong or missing passphrase): "
                    + firstLine(e.getMessage()), "put its passphrase in <passphrase> of the upstream's <server> in"
                            + " settings.xml (encrypted with mvn --encrypt-password)");
        }
        return unreachable(e);
    }

    private static String keyscanType(String sshKeyType) {
        return sshKeyType.startsWith("ssh-ed25519") ? "ed25519" : sshKeyType.startsWith("ecdsa") ? "ecdsa"
                : sshKeyType.startsWith("ssh-rsa") || sshKeyType.startsWith("rsa") ? "rsa" : sshKeyType;
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null && all.length() < 10_000; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
            for (Throwable s : t.getSuppressed()) {
                all.append(s.getMessage()).append('\n');
            }
        }
        return all.toString();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private ReleaseException unreachable(Exception e) {
        return new ReleaseException("cannot reach the upstream repository " + url + ": " + e.getMessage(),
                "check the URL (-Ditsvc.remote, or upstream: in the site's subscribe: block), the network, and the"
                        + " credentials of its <server> in settings.xml");
    }
}
