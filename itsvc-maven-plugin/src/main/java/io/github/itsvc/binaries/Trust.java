package io.github.itsvc.binaries;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How the orchestration checks signatures and reads checksum lists: {@link OpenPgp} and {@link ChecksumList}, or a
 * test's stand-in.
 */
interface Trust {

    /** @return the fingerprint of the key that made the signature */
    String verify(Path data, Path signature, List<Path> keyFiles) throws BinaryException;

    /** @return file name to lower-case hex digest */
    Map<String, String> parseChecksums(String content, String origin) throws BinaryException;

    Trust OPENPGP = new Trust() {
        @Override
        public String verify(Path data, Path signature, List<Path> keyFiles) throws BinaryException {
            return OpenPgp.verifyDetached(data, signature, OpenPgp.loadKeys(keyFiles));
        }

        @Override
        public Map<String, String> parseChecksums(String content, String origin) throws BinaryException {
            return ChecksumList.parse(content, origin);
        }
    };
}
