package io.github.itsvc.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.bcpg.PublicKeyUtils;
import org.bouncycastle.bcpg.sig.RevocationReason;
import org.bouncycastle.bcpg.sig.RevocationReasonTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureException;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentSignature;
import org.bouncycastle.openpgp.api.OpenPGPImplementation;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.util.encoders.Hex;

/**
 * OpenPGP detached signatures, checked against public keys kept in the service's repository
 * ({@code src/main/itsvc/keys/*.asc}).
 *
 * <p>Validity follows OpenPGP's rules as BouncyCastle's certificate API evaluates them, at the time the signature was
 * made: the signing key (primary or subkey) must be bound to its certificate, marked for signing, not expired and not
 * revoked then. A key that expired or was retired <em>after</em> signing still verifies its old releases; a hard
 * revocation (key compromised, or no reason given) voids every signature. Weak algorithms (SHA-1 document signatures,
 * RSA under 2000 bits...) are refused by BouncyCastle's default policy.
 */
public final class OpenPgp {

    /** BouncyCastle's lightweight implementation: no JCA provider is registered, nothing global changes. */
    private static final OpenPGPImplementation BC = new BcOpenPGPImplementation();

    /** Apache KEYS files run to a few hundred KiB; anything near this is not a key file. */
    private static final long MAX_KEY_FILE = 16L << 20;

    /** A detached signature is a few hundred bytes; this leaves room for many. */
    private static final long MAX_SIGNATURE_FILE = 1L << 20;

    /** A publisher's clock may run a little ahead of ours. */
    private static final long CLOCK_SKEW_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private static final int BUFFER = 1 << 16;

    private OpenPgp() {}

    /**
     * The trusted keys: every public key (and subkey) in the given armored or binary key files.
     *
     * @throws BinaryException a file is missing or holds no OpenPGP public key (the message names the file)
     */
    public static TrustedKeys loadKeys(List<Path> keyFiles) throws BinaryException {
        List<Cert> certs = new ArrayList<>();
        for (Path file : keyFiles) {
            byte[] content = readSmall(file, file.toString(), MAX_KEY_FILE, "OpenPGP key file");
            List<PGPPublicKeyRing> rings = readKeyRings(file, content);
            if (rings.isEmpty()) {
                List<String> found = Armor.headers(content);
                throw new BinaryException("OpenPGP key file " + file + " holds no public key"
                        + (found.isEmpty() ? "" : " (it holds: PGP " + String.join(", PGP ", found) + ")")
                        + "; export one with: gpg --export --armor <fingerprint> > " + file.getFileName());
            }
            for (PGPPublicKeyRing ring : rings) {
                certs.add(new Cert(file, new OpenPGPCertificate(ring, BC)));
            }
        }
        return new Keys(List.copyOf(certs));
    }

    /**
     * Checks a detached signature (armored or binary) over a file. A signature file may hold several signatures; it
     * verifies if one of them, made by a trusted key, verifies. Only binary-document signatures (type 0x00) count.
     * The data is read once, as a stream.
     *
     * @return the fingerprint (upper-case hex) of the key that made the signature (the primary key's, when a subkey
     *     signed)
     * @throws BinaryException the signature is malformed, made by a key not among {@code keys} (its key id is
     *     named), or does not match the file
     */
    public static String verifyDetached(Path data, Path signature, TrustedKeys keys) throws BinaryException {
        return verifyDetached(data, data.toString(), signature, signature.toString(), keys);
    }

    /**
     * {@link #verifyDetached(Path, Path, TrustedKeys)}, with the names messages give the data and the signature: where
     * they came from, when the files read are copies (a download in progress, a cached signature).
     */
    public static String verifyDetached(Path data, String dataName, Path signature, String signatureName,
            TrustedKeys keys)
            throws BinaryException {
        if (!(keys instanceof Keys trusted)) {
            throw new IllegalArgumentException("trusted keys come from OpenPgp.loadKeys, not " + keys);
        }
        List<PGPSignature> signatures = readSignatures(signature, signatureName);
        String what = "OpenPGP signature " + signatureName + " of " + dataName;

        List<String> problems = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        Date latest = new Date(System.currentTimeMillis() + CLOCK_SKEW_MILLIS);
        for (PGPSignature sig : signatures) {
            try {
                String issuer = issuer(sig);
                if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
                    problems.add("the signature by " + issuer + " is " + typeName(sig.getSignatureType())
                            + "; only binary-document signatures are accepted (gpg --detach-sign, without --textmode)");
                    continue;
                }
                List<OpenPGPComponentKey> signers = trusted.find(sig);
                if (signers.isEmpty()) {
                    problems.add((signatures.size() == 1 ? "it" : "one of its signatures") + " was made by " + issuer
                            + ", which is not among the trusted keys " + trusted.describe());
                    continue;
                }
                if (sig.getCreationTime().after(latest)) {
                    problems.add("the signature by " + issuer + " claims to be made in the future, on "
                            + utc(sig.getCreationTime()));
                    continue;
                }
                boolean first = true;
                for (OpenPGPComponentKey signer : signers) {
                    // A PGPSignature verifies against one key; a key id shared by two trusted keys needs a copy.
                    PGPSignature copy = first ? sig : copyOf(sig);
                    first = false;
                    copy.init(BC.pgpContentVerifierBuilderProvider(), signer.getPGPPublicKey());
                    candidates.add(new Candidate(copy, signer));
                }
            } catch (PGPException | RuntimeException e) {
                problems.add("a signature in it is malformed or uses an unsupported algorithm (" + e.getMessage() + ")");
            }
        }
        if (candidates.isEmpty()) {
            throw new BinaryException(what + " is refused: " + String.join("; ", problems));
        }

        update(data, dataName, candidates);

        for (Candidate candidate : candidates) {
            String problem = check(candidate);
            if (problem == null) {
                return fingerprint(candidate.signer.getCertificate());
            }
            problems.add(problem);
        }
        throw new BinaryException(what + " is refused: " + String.join("; ", problems));
    }

    /** Public keys trusted for signatures, as {@link #loadKeys} reads them; opaque to callers. */
    public interface TrustedKeys {
        /** The fingerprints of the primary keys, upper-case hex, sorted. */
        List<String> fingerprints();
    }

    private record Cert(Path file, OpenPGPCertificate certificate) {}

    private record Candidate(PGPSignature signature, OpenPGPComponentKey signer) {}

    private record Keys(List<Cert> certs) implements TrustedKeys {

        @Override
        public List<String> fingerprints() {
            return certs.stream()
                    .map(c -> fingerprint(c.certificate))
                    .distinct()
                    .sorted()
                    .collect(Collectors.toUnmodifiableList());
        }

        /**
         * The primary keys and subkeys the signature names as its issuer, by fingerprint or key id. A key named by a
         * (forged, unhashed) key id only gets tried: the cryptographic check decides.
         */
        List<OpenPGPComponentKey> find(PGPSignature sig) {
            List<KeyIdentifier> ids = sig.getKeyIdentifiers().stream()
                    .filter(id -> !id.isWildcard())
                    .collect(Collectors.toList());
            List<OpenPGPComponentKey> found = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (Cert cert : certs) {
                for (OpenPGPComponentKey key : cert.certificate.getKeys()) {
                    boolean named = ids.stream().anyMatch(id -> id.matchesExplicit(key.getKeyIdentifier()));
                    // The same key listed in two files needs checking once.
                    if (named && seen.add(Hex.toHexString(key.getPGPPublicKey().getFingerprint()))) {
                        found.add(key);
                    }
                }
            }
            return found;
        }

        String describe() {
            if (certs.isEmpty()) {
                return "(no key file given)";
            }
            Set<Path> files = new TreeSet<>();
            certs.forEach(c -> files.add(c.file));
            return fingerprints() + " from " + files.stream().map(Path::toString).collect(Collectors.joining(", "));
        }
    }

    private static List<PGPPublicKeyRing> readKeyRings(Path file, byte[] content) throws BinaryException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        for (Armor.Block block : Armor.blocks(content)) {
            if ("PRIVATE KEY BLOCK".equals(block.type())) {
                throw new BinaryException("OpenPGP key file " + file + " holds a secret key: never commit it; keep"
                        + " only the public key (gpg --export --armor <fingerprint>)");
            }
            if (block.type() != null && !"PUBLIC KEY BLOCK".equals(block.type())) {
                continue;
            }
            try (InputStream in = block.packets()) {
                BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
                Object next;
                while ((next = factory.nextObject()) != null) {
                    if (next instanceof PGPPublicKeyRing ring) {
                        rings.add(ring);
                    } else if (next instanceof PGPSecretKeyRing) {
                        throw new BinaryException("OpenPGP key file " + file + " holds a secret key: never commit"
                                + " it; keep only the public key (gpg --export --armor <fingerprint>)");
                    } else if (!(next instanceof PGPMarker)) {
                        throw new BinaryException("OpenPGP key file " + file + " holds something else than public"
                                + " keys (" + next.getClass().getSimpleName() + ")");
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new BinaryException("OpenPGP key file " + file + " is malformed: " + e.getMessage(), e);
            }
        }
        return rings;
    }

    private static List<PGPSignature> readSignatures(Path file, String name) throws BinaryException {
        byte[] content = readSmall(file, name, MAX_SIGNATURE_FILE, "OpenPGP signature");
        List<String> headers = Armor.isBinary(content) ? List.of() : Armor.headers(content);
        if (headers.contains("SIGNED MESSAGE")) {
            throw new BinaryException("OpenPGP signature " + name + " is a clear-signed message, not a detached"
                    + " signature; use the publisher's detached signature (.asc or .sig) of the file");
        }
        List<PGPSignature> signatures = new ArrayList<>();
        for (Armor.Block block : Armor.blocks(content)) {
            if (block.type() != null && !"SIGNATURE".equals(block.type())) {
                continue;
            }
            try (InputStream in = block.packets()) {
                BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
                Object next;
                while ((next = factory.nextObject()) != null) {
                    if (next instanceof PGPSignatureList list) {
                        list.forEach(signatures::add);
                    } else if (!(next instanceof PGPMarker)) {
                        throw new BinaryException("OpenPGP signature " + name + " is not a detached signature: "
                                + packetName(next));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new BinaryException("OpenPGP signature " + name + " is malformed: " + e.getMessage(), e);
            }
        }
        if (signatures.isEmpty()) {
            throw new BinaryException("OpenPGP signature " + name + " holds no signature"
                    + (headers.isEmpty() ? " (neither armored nor binary OpenPGP)" : " (it holds: PGP "
                    + String.join(", PGP ", headers) + ")"));
        }
        return signatures;
    }

    private static void update(Path data, String name, List<Candidate> candidates) throws BinaryException {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(data)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (Candidate candidate : candidates) {
                    candidate.signature.update(buffer, 0, n);
                }
            }
        } catch (NoSuchFileException e) {
            throw new BinaryException("cannot check the OpenPGP signature of " + name + ": the file does not exist", e);
        } catch (IOException e) {
            throw new BinaryException("cannot check the OpenPGP signature of " + name + ": " + e, e);
        }
    }

    /** Null when the signature verifies and its key was valid for signing when it was made, else why not. */
    private static String check(Candidate candidate) {
        PGPSignature sig = candidate.signature;
        OpenPGPComponentKey signer = candidate.signer;
        String by = "the signature by " + keyName(signer);
        try {
            if (!BC.policy().isAcceptablePublicKey(signer.getPGPPublicKey())) {
                return by + ": the key's algorithm or size is too weak (" + algorithm(signer) + ")";
            }
            if (!BC.policy().isAcceptableDocumentSignatureHashAlgorithm(sig.getHashAlgorithm(), sig.getCreationTime())) {
                return by + ": its hash algorithm " + hashName(sig.getHashAlgorithm()) + " is too weak";
            }
            OpenPGPDocumentSignature doc = new OpenPGPDocumentSignature(sig, signer);
            if (!doc.verify()) {
                return by + " does not match the file: it was changed, or is not the file that was signed";
            }
            Date made = sig.getCreationTime();
            if (doc.isValidAt(made, BC.policy())) {
                return null;
            }
            return invalidKey(by, signer, made);
        } catch (PGPSignatureException e) {
            return by + " is malformed or refused by the OpenPGP policy: " + e.getMessage();
        } catch (PGPException | RuntimeException e) {
            return by + " cannot be checked: " + e;
        }
    }

    /** Why the signing key was not valid when the signature was made; null if only key flags are missing. */
    private static String invalidKey(String by, OpenPGPComponentKey signer, Date made) {
        String when = utc(made);
        OpenPGPComponentKey primary = signer.getCertificate().getPrimaryKey();
        List<OpenPGPComponentKey> chain = signer.isPrimaryKey() ? List.of(signer) : List.of(primary, signer);
        for (OpenPGPComponentKey key : chain) {
            String name = (key.isPrimaryKey() ? "key " : "subkey ") + keyId(key);
            OpenPGPComponentSignature revocation = key.getRevocation(made);
            if (revocation != null) {
                return by + ": " + name + " is revoked (" + revocationReason(revocation) + ")";
            }
            OpenPGPComponentSignature self = key.getLatestSelfSignature(made);
            if (self == null) {
                return by + ": " + name + " had no valid self-signature on " + when
                        + " (made before the key was bound, or its binding is broken)";
            }
            Date expiry = self.getKeyExpirationTime();
            if (expiry != null && expiry.before(made)) {
                return by + ": " + name + " expired on " + utc(expiry) + ", before the signature was made on "
                        + when;
            }
            if (!key.isBoundAt(made)) {
                return by + ": " + name + " was not validly bound to its certificate on " + when;
            }
        }
        if (!signer.isSigningKey(made)) {
            // Keys made before key flags existed may sign with any signing-capable primary key (GnuPG agrees).
            if (signer.isPrimaryKey() && signer.getKeyFlags(made) == null
                    && PublicKeyUtils.isSigningAlgorithm(signer.getAlgorithm())) {
                return null;
            }
            return by + ": " + (signer.isPrimaryKey() ? "key " : "subkey ") + keyId(signer)
                    + " is not marked for signing data";
        }
        return by + " is refused: the key was not valid on " + when;
    }

    private static String revocationReason(OpenPGPComponentSignature revocation) {
        PGPSignatureSubpacketVector hashed = revocation.getSignature().getHashedSubPackets();
        RevocationReason reason = hashed == null ? null : hashed.getRevocationReason();
        String date = "on " + utc(revocation.getCreationTime());
        if (reason == null) {
            return date + ", no reason given: all its signatures are void";
        }
        String name = switch (reason.getRevocationReason()) {
            case RevocationReasonTags.NO_REASON -> "no reason given: all its signatures are void";
            case RevocationReasonTags.KEY_SUPERSEDED -> "superseded";
            case RevocationReasonTags.KEY_COMPROMISED -> "compromised: all its signatures are void";
            case RevocationReasonTags.KEY_RETIRED -> "retired";
            default -> "reason " + reason.getRevocationReason();
        };
        String text = reason.getRevocationDescription();
        return date + ", " + name + (text == null || text.isBlank() ? "" : ": \"" + text + "\"");
    }

    private static String issuer(PGPSignature sig) {
        List<KeyIdentifier> ids = sig.getKeyIdentifiers();
        long keyId = 0;
        String fingerprint = null;
        for (KeyIdentifier id : ids) {
            if (id.isWildcard()) {
                continue;
            }
            if (keyId == 0) {
                keyId = id.getKeyId();
            }
            if (fingerprint == null && id.getFingerprint() != null) {
                fingerprint = Hex.toHexString(id.getFingerprint()).toUpperCase(Locale.ROOT);
                keyId = id.getKeyId();
            }
        }
        if (keyId == 0 && fingerprint == null) {
            return "an anonymous key (the signature names no issuer)";
        }
        return "key id " + String.format("%016X", keyId) + (fingerprint == null ? "" : " (fingerprint " + fingerprint + ")");
    }

    private static String keyName(OpenPGPComponentKey key) {
        String primary = fingerprint(key.getCertificate());
        return key.isPrimaryKey() ? "key " + primary : "subkey " + keyId(key) + " of key " + primary;
    }

    private static String keyId(OpenPGPComponentKey key) {
        return String.format("%016X", key.getPGPPublicKey().getKeyID());
    }

    private static String fingerprint(OpenPGPCertificate certificate) {
        return Hex.toHexString(certificate.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    private static String typeName(int type) {
        String name = switch (type) {
            case PGPSignature.CANONICAL_TEXT_DOCUMENT -> "a text-mode signature";
            case PGPSignature.STAND_ALONE -> "a standalone signature";
            case PGPSignature.DEFAULT_CERTIFICATION, PGPSignature.NO_CERTIFICATION, PGPSignature.CASUAL_CERTIFICATION,
                    PGPSignature.POSITIVE_CERTIFICATION -> "a key certification";
            case PGPSignature.KEY_REVOCATION, PGPSignature.SUBKEY_REVOCATION, PGPSignature.CERTIFICATION_REVOCATION ->
                    "a revocation";
            default -> "a key or other non-document signature";
        };
        return name + String.format(" (type 0x%02X)", type);
    }

    private static String packetName(Object packet) {
        if (packet instanceof PGPCompressedData || packet instanceof PGPOnePassSignatureList
                || packet instanceof PGPLiteralData) {
            return "it is a signed message (gpg --sign); the publisher's detached signature is needed";
        }
        if (packet instanceof PGPEncryptedDataList) {
            return "it is an encrypted message";
        }
        if (packet instanceof PGPPublicKeyRing || packet instanceof PGPSecretKeyRing) {
            return "it is a key, not a signature";
        }
        return "it is malformed (unexpected " + packet.getClass().getSimpleName() + ")";
    }

    private static String algorithm(OpenPGPComponentKey key) {
        PGPPublicKey pub = key.getPGPPublicKey();
        return "algorithm " + pub.getAlgorithm() + ", " + pub.getBitStrength() + " bits";
    }

    private static String hashName(int id) {
        try {
            return PGPUtil.getDigestName(id);
        } catch (PGPException e) {
            return "#" + id;
        }
    }

    private static PGPSignature copyOf(PGPSignature sig) throws PGPException {
        try {
            return ((PGPSignatureList) new BcPGPObjectFactory(sig.getEncoded()).nextObject()).get(0);
        } catch (IOException e) {
            throw new PGPException("cannot copy signature: " + e.getMessage(), e);
        }
    }

    /** @param name the file as messages name it */
    private static byte[] readSmall(Path file, String name, long max, String what) throws BinaryException {
        try {
            long size = Files.size(file);
            if (size > max) {
                throw new BinaryException(what + " " + name + " is too large (" + size + " bytes) to be one");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BinaryException(what + " " + name + " does not exist", e);
        } catch (IOException e) {
            throw new BinaryException(what + " " + name + " cannot be read: " + e, e);
        }
    }

    private static String utc(Date date) {
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format.format(date);
    }
}
