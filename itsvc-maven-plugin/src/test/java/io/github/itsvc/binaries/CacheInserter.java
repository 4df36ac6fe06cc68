package io.github.itsvc.binaries;

import java.nio.file.Files;
import java.nio.file.Path;

/** Another process inserting into a shared cache: {@code <root> <content file> <sha256> <sha512> <rounds>}. */
public final class CacheInserter {

    public static void main(String[] args) throws Exception {
        BinaryCache cache = new BinaryCache(Path.of(args[0]));
        Digests digests = new Digests(args[2], args[3]);
        for (int i = 0; i < Integer.parseInt(args[4]); i++) {
            Path temp = cache.newTempFile();
            Files.copy(Path.of(args[1]), temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            BinaryCache.Entry entry = cache.insert(temp, digests);
            if (!entry.digests().equals(digests) || !Files.exists(entry.file())) {
                throw new AssertionError("bad entry " + entry);
            }
            if (cache.find(digests.sha256(), null).isEmpty()) {
                throw new AssertionError("entry not found after insert");
            }
        }
    }
}
