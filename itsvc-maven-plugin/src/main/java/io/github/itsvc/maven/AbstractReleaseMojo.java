package io.github.itsvc.maven;

import io.github.itsvc.release.ReleaseException;
import io.github.itsvc.release.ReleaseSigner;
import io.github.itsvc.release.Upstream;
import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.model.InvalidInputException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.eclipse.aether.RepositorySystem;

/**
 * What release, promote and sync share: the upstream, its credentials and the signing key from settings.xml
 * (passwords decrypted, never logged), the channels.
 */
abstract class AbstractReleaseMojo extends AbstractTargetMojo {

    /** The upstream repository: the name of a remote of the project's git repository, or a URL. */
    @Parameter(property = PropertyNames.REMOTE, defaultValue = "origin", required = true)
    protected String remote;

    /**
     * The settings.xml {@code <server>} with the upstream's {@code <username>} and {@code <password>} (http), or its
     * {@code <privateKey>} and {@code <passphrase>} (ssh), if it needs them.
     */
    @Parameter(property = PropertyNames.SERVER_ID, defaultValue = "itsvc-upstream", required = true)
    protected String serverId;

    /**
     * The settings.xml {@code <server>} whose {@code <privateKey>} (an armored OpenPGP secret key file, or an OpenSSH
     * private key such as {@code ~/.ssh/id_ed25519}) and {@code <passphrase>} sign releases and channel records.
     */
    @Parameter(property = PropertyNames.SIGNING_SERVER_ID, defaultValue = "itsvc-signing", required = true)
    protected String signingServerId;

    /**
     * A key file to sign with (armored OpenPGP secret key, or OpenSSH private key), instead of the signing server's
     * {@code <privateKey>}.
     */
    @Parameter(property = PropertyNames.SIGNING_KEY)
    protected File signingKey;

    /** The SSH directory of ssh:// upstreams: its keys, config and known_hosts; default {@code ~/.ssh}. */
    @Parameter(property = PropertyNames.SSH_DIRECTORY)
    protected File sshDirectory;

    /** The channels, in the order releases move through them. */
    @Parameter(property = PropertyNames.CHANNELS, defaultValue = "dev,beta,live", required = true)
    protected String channels;

    /** How long a channel record stays valid: subscribers refuse an expired (frozen) channel. */
    @Parameter(property = PropertyNames.CHANNEL_VALIDITY, defaultValue = "720h", required = true)
    protected String channelValidity;

    private final SettingsDecrypter decrypter;

    protected AbstractReleaseMojo(RepositorySystem repositorySystem, SettingsDecrypter decrypter) {
        super(repositorySystem);
        this.decrypter = decrypter;
    }

    /** Runs {@link #runRelease}; a refusal becomes a build failure with its what, where and fix. */
    @Override
    protected final void run() throws InvalidInputException, BinaryException, IOException, MojoExecutionException,
            MojoFailureException {
        try {
            runRelease();
        } catch (ReleaseException e) {
            throw failure(e);
        }
    }

    /** The goal's work; a {@link ReleaseException} is a refusal the user can act on. */
    protected abstract void runRelease() throws InvalidInputException, BinaryException, IOException,
            MojoExecutionException, MojoFailureException, ReleaseException;

    /** The clock release, promote and sync stamp and check records with. */
    protected static Clock clock() {
        return Clock.systemUTC();
    }

    protected List<String> channelList() throws MojoFailureException {
        List<String> list = Arrays.stream(channels.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (list.size() != list.stream().distinct().count() || list.stream().anyMatch(c -> !c.matches("[a-z0-9-]+"))) {
            throw new MojoFailureException("-D" + PropertyNames.CHANNELS + "=" + channels + " must list distinct"
                    + " channel names (lower-case letters, digits, '-'), like dev,beta,live");
        }
        return list;
    }

    protected Duration validity() throws MojoFailureException {
        return MojoDurations.parse(PropertyNames.CHANNEL_VALIDITY, channelValidity);
    }

    /** The decrypted server, or {@code null} when settings.xml has none by that id. */
    protected Server server(String id) throws MojoFailureException {
        Server server = session.getSettings().getServer(id);
        if (server == null) {
            return null;
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        if (!result.getProblems().isEmpty()) {
            throw new MojoFailureException("cannot decrypt the password of <server> '" + id + "' in settings.xml: "
                    + result.getProblems().get(0).getMessage());
        }
        return result.getServer();
    }

    /** The signer, or {@code null} when no signing key is configured. */
    protected ReleaseSigner signer() throws MojoFailureException, ReleaseException {
        Server server = server(signingServerId);
        Path key = signingKey != null ? signingKey.toPath()
                : server != null && server.getPrivateKey() != null ? Path.of(server.getPrivateKey()) : null;
        if (key == null) {
            return null;
        }
        char[] passphrase = server == null || server.getPassphrase() == null ? null
                : server.getPassphrase().toCharArray();
        try {
            return ReleaseSigner.fromFile(key, passphrase);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /** How to get into the upstream: the upstream {@code <server>}'s credentials, decrypted, and the SSH directory. */
    protected Upstream.Access access() throws MojoFailureException {
        Server server = server(serverId);
        Path ssh = sshDirectory == null ? null : sshDirectory.toPath();
        if (server == null) {
            return new Upstream.Access(null, null, ssh, null, null);
        }
        return new Upstream.Access(server.getUsername(), chars(server.getPassword()), ssh,
                server.getPrivateKey() == null ? null : Path.of(server.getPrivateKey()), chars(server.getPassphrase()));
    }

    private static char[] chars(String secret) {
        return secret == null ? null : secret.toCharArray();
    }

    /** A refusal the user can act on: its message has what, where and the fix. */
    protected static MojoFailureException failure(ReleaseException e) {
        return new MojoFailureException(e.getMessage());
    }
}
