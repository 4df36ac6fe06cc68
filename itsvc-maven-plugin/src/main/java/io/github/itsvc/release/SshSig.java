package io.github.itsvc.release;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.signature.SignatureFactory;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * SSH signatures in OpenSSH's SSHSIG format ({@code ssh-keygen -Y sign}, what git writes with
 * {@code gpg.format=ssh}), in the {@code git} namespace, with SHA-512: made and checked with Apache MINA sshd's
 * signature algorithms, so {@code git tag -v} and {@code ssh-keygen -Y verify} accept what itsvc signs and the other
 * way round.
 */
final class SshSig {

    static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";
    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    static final String NAMESPACE = "git";
    private static final int VERSION = 1;

    /** A parsed signature: the key it names and what it signed with. */
    record Parsed(PublicKey key, String namespace, String hashAlgorithm, byte[] signature) {}

    private SshSig() {}

    /** An armored SSH signature of {@code data} by {@code pair}. */
    static byte[] sign(KeyPair pair, byte[] data) throws GeneralSecurityException {
        String algorithm = signatureAlgorithm(pair.getPublic());
        Signature signer = factory(algorithm).create();
        try {
            signer.initSigner(null, pair.getPrivate());
            signer.update(null, signedBlob(NAMESPACE, "sha512", data));
            byte[] raw = signer.sign(null);
            ByteArrayBuffer wrapped = new ByteArrayBuffer();
            wrapped.putString(algorithm);
            wrapped.putBytes(raw);
            ByteArrayBuffer blob = new ByteArrayBuffer();
            blob.putRawBytes(MAGIC);
            blob.putUInt(VERSION);
            blob.putPublicKey(pair.getPublic());
            blob.putString(NAMESPACE);
            blob.putString("");
            blob.putString("sha512");
            blob.putBytes(wrapped.getCompactData());
            return armor(blob.getCompactData());
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    /**
     * Reads an armored signature.
     *
     * @throws IllegalArgumentException it is no SSH signature, or a malformed one
     */
    static Parsed parse(byte[] armored) {
        String text = new String(armored, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            throw new IllegalArgumentException("not an armored SSH signature");
        }
        byte[] blob = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
        Buffer buffer = new ByteArrayBuffer(blob);
        byte[] magic = new byte[MAGIC.length];
        buffer.getRawBytes(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not an SSHSIG blob");
        }
        long version = buffer.getUInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("SSHSIG version " + version + " (only 1 is known)");
        }
        try {
            PublicKey key = buffer.getPublicKey();
            String namespace = buffer.getString();
            buffer.getString(); // reserved
            String hash = buffer.getString();
            byte[] signature = buffer.getBytes();
            return new Parsed(key, namespace, hash, signature);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed SSHSIG blob (" + e.getMessage() + ")", e);
        }
    }

    /** Whether {@code parsed} is a valid signature of {@code data} in the {@code git} namespace by its own key. */
    static boolean verify(Parsed parsed, byte[] data) throws GeneralSecurityException {
        if (!NAMESPACE.equals(parsed.namespace())
                || !parsed.hashAlgorithm().equals("sha512") && !parsed.hashAlgorithm().equals("sha256")) {
            return false;
        }
        Buffer wrapped = new ByteArrayBuffer(parsed.signature());
        String algorithm = wrapped.getString();
        String expected = signatureAlgorithm(parsed.key());
        if (!algorithm.equals(expected) && !(expected.equals("rsa-sha2-512") && algorithm.equals("rsa-sha2-256"))) {
            return false;
        }
        Signature verifier = factory(algorithm).create();
        try {
            verifier.initVerifier(null, parsed.key());
            verifier.update(null, signedBlob(parsed.namespace(), parsed.hashAlgorithm(), data));
            return verifier.verify(null, parsed.signature());
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            return false;
        }
    }

    /** OpenSSH's SHA-256 fingerprint of a key: {@code SHA256:<base64>}. */
    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    private static String signatureAlgorithm(PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        return "ssh-rsa".equals(type) ? "rsa-sha2-512" : type; // SSHSIG forbids SHA-1
    }

    private static SignatureFactory factory(String algorithm) throws GeneralSecurityException {
        SignatureFactory factory = BuiltinSignatures.fromFactoryName(algorithm);
        if (factory == null || !factory.isSupported()) {
            throw new GeneralSecurityException("unsupported SSH signature algorithm " + algorithm);
        }
        return factory;
    }

    private static byte[] signedBlob(String namespace, String hashAlgorithm, byte[] data)
            throws GeneralSecurityException {
        MessageDigest digest = MessageDigest.getInstance(hashAlgorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        ByteArrayBuffer blob = new ByteArrayBuffer();
        blob.putRawBytes(MAGIC);
        blob.putString(namespace);
        blob.putString("");
        blob.putString(hashAlgorithm);
        blob.putBytes(digest.digest(data));
        return blob.getCompactData();
    }

    private static byte[] armor(byte[] blob) {
        String base64 = Base64.getEncoder().encodeToString(blob);
        StringBuilder text = new StringBuilder(BEGIN).append('\n');
        for (int i = 0; i < base64.length(); i += 70) {
            text.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
        }
        text.append(END).append('\n');
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
