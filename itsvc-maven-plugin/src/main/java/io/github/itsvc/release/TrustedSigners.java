package io.github.itsvc.release;

import io.github.itsvc.binaries.BinaryException;
import io.github.itsvc.binaries.OpenPgp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The keys a subscription trusts to sign release tags and channel records, from the files its {@code keys:} list
 * names: OpenPGP public keys (armored or binary), and SSH public keys, one a line, as a {@code .pub} file or git's
 * allowed-signers file has them ({@code [principals] [options] <type> <base64> [comment]}; principals and options are
 * not used: a listed key is trusted for every release of the subscription).
 */
public final class TrustedSigners {

    private static final int MAX_SSH_FILE = 1 << 20;

    private final OpenPgp.TrustedKeys openPgp;
    private final Map<String, PublicKey> ssh;

    private TrustedSigners(OpenPgp.TrustedKeys openPgp, Map<String, PublicKey> ssh) {
        this.openPgp = openPgp;
        this.ssh = ssh;
    }

    /** Reads the key files: each holds either OpenPGP keys or SSH public keys. */
    public static TrustedSigners load(List<Path> files) throws ReleaseException {
        List<Path> openPgpFiles = new ArrayList<>();
        Map<String, PublicKey> ssh = new TreeMap<>();
        for (Path file : files) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ReleaseException("cannot read the trusted key file " + file + ": " + e.getMessage(),
                        "list in 'keys' of the site's subscribe: block files that exist (paths relative to"
                                + " src/main/itsvc)");
            }
            if (!isSshText(content)) {
                openPgpFiles.add(file);
                continue;
            }
            readSsh(file, content, ssh);
        }
        try {
            return new TrustedSigners(OpenPgp.loadKeys(openPgpFiles), ssh);
        } catch (BinaryException e) {
            throw new ReleaseException(e.getMessage(), "list in 'keys' the publisher's OpenPGP public key (gpg --export"
                    + " --armor) or SSH public key (its .pub line, or an allowed-signers file)");
        }
    }

    /** Trusts OpenPGP keys only. */
    public static TrustedSigners of(OpenPgp.TrustedKeys openPgp) {
        return new TrustedSigners(openPgp, Map.of());
    }

    OpenPgp.TrustedKeys openPgp() {
        return openPgp;
    }

    /** The trusted SSH key with this {@code SHA256:} fingerprint, or {@code null}. */
    PublicKey ssh(String fingerprint) {
        return ssh.get(fingerprint);
    }

    /** The SSH keys' fingerprints, sorted. */
    List<String> sshFingerprints() {
        return List.copyOf(ssh.keySet());
    }

    /** Every trusted key: OpenPGP fingerprints (upper-case hex), then SSH ones ({@code SHA256:...}). */
    public List<String> fingerprints() {
        List<String> all = new ArrayList<>(openPgp.fingerprints());
        all.addAll(ssh.keySet());
        return all;
    }

    /** Text without an OpenPGP armor header: an SSH public key or allowed-signers file. */
    private static boolean isSshText(byte[] content) {
        if (content.length > MAX_SSH_FILE) {
            return false;
        }
        for (byte b : content) {
            if (b < 0x09 || b == 0x7f || b < 0) {
                return false; // binary: an OpenPGP key ring
            }
        }
        return !new String(content, StandardCharsets.US_ASCII).contains("-----BEGIN PGP");
    }

    private static void readSsh(Path file, byte[] content, Map<String, PublicKey> into) throws ReleaseException {
        List<String> lines = new String(content, StandardCharsets.US_ASCII).lines().toList();
        int found = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            PublicKey key = parseLine(line);
            if (key == null) {
                throw new ReleaseException(file + ":" + (i + 1) + ":1: no SSH public key on this line (nor an"
                        + " OpenPGP key in the file)", "write the key as its .pub file has it ('ssh-ed25519 AAAA..."
                                + " comment'), or as an allowed-signers line ('release@example.org ssh-ed25519"
                                + " AAAA...')");
            }
            into.put(SshSig.fingerprint(key), key);
            found++;
        }
        if (found == 0) {
            throw new ReleaseException("the trusted key file " + file + " holds no key", "put the publisher's"
                    + " OpenPGP public key (gpg --export --armor) or SSH public key (.pub line) in it");
        }
    }

    /** The key of a {@code .pub} or allowed-signers line: the first {@code <type> <base64>} pair that parses. */
    private static PublicKey parseLine(String line) {
        String[] tokens = line.split("\\s+");
        for (int i = 0; i + 1 < tokens.length; i++) {
            String type = tokens[i];
            if (!(type.startsWith("ssh-") || type.startsWith("ecdsa-sha2-") || type.startsWith("sk-"))) {
                continue;
            }
            try {
                PublicKeyEntry entry = PublicKeyEntry.parsePublicKeyEntry(type + " " + tokens[i + 1]);
                PublicKey key = entry.resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
                if (key != null) {
                    return key;
                }
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
                // not this pair; an allowed-signers option may look like a type
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return fingerprints().toString();
    }
}
