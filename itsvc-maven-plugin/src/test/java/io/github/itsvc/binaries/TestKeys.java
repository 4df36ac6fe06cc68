package io.github.itsvc.binaries;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.bcpg.sig.RevocationReasonTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.api.OpenPGPApi;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPKeyGenerator;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.util.encoders.Hex;

/** OpenPGP keys and detached signatures made on the spot with BouncyCastle, as a publisher would make them. */
final class TestKeys {

    private static final OpenPGPApi API = new BcOpenPGPApi(new BcOpenPGPImplementation());
    static final long DAY = 86_400_000L;

    private TestKeys() {}

    /** An Ed25519 key whose primary key signs (and certifies), valid from {@code created} for {@code validDays}. */
    static OpenPGPKey signingPrimary(Date created, long validDays) {
        try {
            return generator(created)
                    .withPrimaryKey(g -> g.generateEd25519KeyPair(), flagsAndExpiry(
                            KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, validDays))
                    .addUserId("Release Manager <rm@publisher.example>")
                    .build();
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    static OpenPGPKey signingPrimary() {
        return signingPrimary(new Date(System.currentTimeMillis() - DAY), 0);
    }

    /** An RSA 2048 key whose primary key signs, as many publishers' older keys are. */
    static OpenPGPKey rsaPrimary() {
        try {
            return generator(new Date(System.currentTimeMillis() - DAY))
                    .withPrimaryKey(g -> g.generateRsaKeyPair(2048), flagsAndExpiry(
                            KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, 0))
                    .addUserId("Old Hand <rm@publisher.example>")
                    .build();
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certify-only Ed25519 primary key with an Ed25519 signing subkey, as GnuPG makes them today. */
    static OpenPGPKey withSigningSubkey() {
        try {
            return generator(new Date(System.currentTimeMillis() - DAY))
                    .withPrimaryKey(g -> g.generateEd25519KeyPair(), flagsAndExpiry(KeyFlags.CERTIFY_OTHER, 0))
                    .addUserId("Release Manager <rm@publisher.example>")
                    .addSigningSubkey(g -> g.generateEd25519KeyPair())
                    .build();
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key with its primary key (hard: no reason) or one component key revoked on {@code when}. */
    static OpenPGPKey revoke(OpenPGPKey key, OpenPGPComponentKey component, Date when, Integer reason) {
        try {
            SignatureParameters.Callback callback = new SignatureParameters.Callback() {
                @Override
                public SignatureParameters apply(SignatureParameters p) {
                    return p.setSignatureCreationTime(when).setHashedSubpacketsFunction(sp -> {
                        if (reason != null) {
                            sp.setRevocationReason(false, reason.byteValue(), "test");
                        }
                        return sp;
                    });
                }
            };
            return API.editKey(key).revokeComponentKey(component, callback).done();
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    static final int KEY_RETIRED = RevocationReasonTags.KEY_RETIRED;

    /** The signing (sub)key of a key: the subkey if there is one, else the primary key. */
    static OpenPGPComponentKey signer(OpenPGPKey key) {
        return key.getSubkeys().isEmpty() ? key.getPrimaryKey() : key.getSubkeys().values().iterator().next();
    }

    /** Options of a signature, defaults as GnuPG makes them. */
    record Sig(int type, int hash, Date created, boolean withFingerprint) {
        static Sig standard() {
            return new Sig(PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA512, new Date(), true);
        }

        Sig type(int t) {
            return new Sig(t, hash, created, withFingerprint);
        }

        Sig hash(int h) {
            return new Sig(type, h, created, withFingerprint);
        }

        Sig created(Date d) {
            return new Sig(type, hash, d, withFingerprint);
        }

        /** Only the 8-byte issuer key id, as GnuPG before 2.1.16 wrote it. */
        Sig keyIdOnly() {
            return new Sig(type, hash, created, false);
        }
    }

    static PGPSignature sign(OpenPGPKey key, byte[] data, Sig options) {
        return sign(key, signer(key), data, options);
    }

    static PGPSignature sign(OpenPGPKey key, OpenPGPComponentKey signer, byte[] data, Sig options) {
        try {
            PGPKeyPair pair = key.getSecretKey(signer).unlock().getKeyPair();
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), options.hash()),
                    pair.getPublicKey());
            generator.init(options.type(), pair.getPrivateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, options.created());
            PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
            if (options.withFingerprint()) {
                hashed.setIssuerFingerprint(false, pair.getPublicKey());
            } else {
                unhashed.setIssuerKeyID(false, pair.getKeyID());
            }
            generator.setHashedSubpackets(hashed.generate());
            generator.setUnhashedSubpackets(unhashed.generate());
            generator.update(data);
            return generator.generate();
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] binary(PGPSignature... signatures) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (PGPSignature signature : signatures) {
                signature.encode(out);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] armored(PGPSignature... signatures) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream armor = ArmoredOutputStream.builder().build(out)) {
            armor.write(binary(signatures));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String armoredPublicKey(OpenPGPKey key) {
        try {
            return key.toCertificate().toAsciiArmoredString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] binaryPublicKey(OpenPGPKey key) {
        try {
            return key.toCertificate().getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fingerprint(OpenPGPKey key) {
        return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    static String keyId(OpenPGPComponentKey key) {
        return String.format("%016X", key.getPGPPublicKey().getKeyID());
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OpenPGPKeyGenerator generator(Date created) throws PGPException {
        // OpenPGP times have one-second resolution; a millisecond part would make "made before" checks flaky.
        return API.generateKey(4, new Date(created.getTime() / 1000 * 1000));
    }

    private static SignatureParameters.Callback flagsAndExpiry(int flags, long validDays) {
        return SignatureParameters.Callback.Util.modifyHashedSubpackets(sp -> {
            sp.removePacketsOfType(SignatureSubpacketTags.KEY_FLAGS);
            sp.setKeyFlags(true, flags);
            sp.removePacketsOfType(SignatureSubpacketTags.KEY_EXPIRE_TIME);
            if (validDays > 0) {
                sp.setKeyExpirationTime(false, validDays * 86_400L);
            }
            return sp;
        });
    }
}
