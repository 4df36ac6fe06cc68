package io.github.itsvc.release;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The repository releases are pushed to and fetched from: a URL ({@code git://}, {@code https://}, {@code file:}) and
 * optional credentials (from a settings.xml {@code <server>}). Credentials are never part of a message.
 */
public final class Upstream {

    private static final int TIMEOUT_SECONDS = 60;

    private final String url;
    private final CredentialsProvider credentials;

    /**
     * @param username {@code null} for none (a {@code git://} or {@code file:} remote, or credentials in the URL's
     *     host's own helper)
     */
    public Upstream(String url, String username, char[] password) {
        this.url = url;
        this.credentials = username == null ? null : new UsernamePasswordCredentialsProvider(username,
                password == null ? new char[0] : password);
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
            Collection<Ref> refs = Git.lsRemoteRepository().setRemote(url).setCredentialsProvider(credentials)
                    .setTimeout(TIMEOUT_SECONDS).call();
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
            Git.wrap(repository).fetch().setRemote(url).setRefSpecs(specs).setCredentialsProvider(credentials)
                    .setTimeout(TIMEOUT_SECONDS).setTagOpt(org.eclipse.jgit.transport.TagOpt.NO_TAGS).call();
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
            Iterable<PushResult> results = Git.wrap(repository).push().setRemote(url).setRefSpecs(specs)
                    .setAtomic(true).setCredentialsProvider(credentials).setTimeout(TIMEOUT_SECONDS).call();
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
        }
    }

    private ReleaseException unreachable(Exception e) {
        return new ReleaseException("cannot reach the upstream repository " + url + ": " + e.getMessage(),
                "check the URL (-Ditsvc.remote, or upstream: in the site's subscribe: block), the network, and the"
                        + " credentials of its <server> in settings.xml");
    }
}
