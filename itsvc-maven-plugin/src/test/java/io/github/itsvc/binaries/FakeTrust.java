package io.github.itsvc.binaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for OpenPGP and checksum-list parsing, so the orchestration is tested on its own: a key file holds
 * {@code fingerprint: F}; a signature holds {@code signed <sha256 of the data> by F}; a checksum list holds
 * {@code <hex>  <name>} lines. The real formats are tested with {@link OpenPgp} and {@link ChecksumList} themselves.
 */
final class FakeTrust implements Trust {

    final AtomicInteger verifications = new AtomicInteger();

    static String key(String fingerprint) {
        return "fingerprint: " + fingerprint + "\n";
    }

    static String signature(byte[] data, String fingerprint) {
        try {
            return "signed " + HasherTest.expected(data).sha256() + " by " + fingerprint + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String verify(Path data, Path signature, List<Path> keyFiles) throws BinaryException {
        verifications.incrementAndGet();
        try {
            String[] words = Files.readString(signature).strip().split(" ");
            if (words.length != 4 || !words[0].equals("signed")) {
                throw new BinaryException("malformed signature " + signature.getFileName());
            }
            boolean known = false;
            for (Path key : keyFiles) {
                known |= Files.readString(key).strip().equals("fingerprint: " + words[3]);
            }
            if (!known) {
                throw new BinaryException("made by key " + words[3] + ", which is not among the trusted keys");
            }
            if (!words[1].equals(Hasher.hash(data).sha256())) {
                throw new BinaryException("the signature by " + words[3] + " does not match the file (BAD signature)");
            }
            return words[3];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> parseChecksums(String content, String origin) throws BinaryException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : content.split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split("\\s+\\*?", 2);
                entries.put(parts[1], parts[0].toLowerCase());
            }
        }
        return entries;
    }
}
