package io.github.itsvc.binaries;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.bcpg.ArmoredInputStream;

/**
 * Splits OpenPGP input into packet streams: binary input as it is, armored text into its blocks. A text file may hold
 * several blocks with prose between them, as Apache's {@code KEYS} files do (BouncyCastle's decoder stream reads only
 * the first block).
 */
final class Armor {

    private static final Pattern BLOCK = Pattern.compile(
            "^-----BEGIN PGP ([A-Z ,0-9/]+)-----\\r?$(.*?)^-----END PGP \\1-----\\r?$",
            Pattern.MULTILINE | Pattern.DOTALL);

    /** One armored block (or the whole binary input, type {@code null}). */
    record Block(String type, byte[] text) {
        InputStream packets() throws IOException {
            InputStream raw = new ByteArrayInputStream(text);
            return type == null ? raw : new ArmoredInputStream(raw);
        }
    }

    private Armor() {}

    /** OpenPGP binary data starts with a packet tag, whose high bit is always set; armor is ASCII. */
    static boolean isBinary(byte[] content) {
        return content.length > 0 && (content[0] & 0x80) != 0;
    }

    /** The blocks, in order; empty if the input is neither binary nor holds an armored block. */
    static List<Block> blocks(byte[] content) {
        List<Block> blocks = new ArrayList<>();
        if (isBinary(content)) {
            blocks.add(new Block(null, content));
            return blocks;
        }
        // ISO-8859-1 maps bytes 1:1, so offsets and the armor's ASCII survive whatever the prose around it is.
        String text = new String(content, StandardCharsets.ISO_8859_1);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group().getBytes(StandardCharsets.ISO_8859_1)));
        }
        return blocks;
    }

    /** The armor types found in a text, e.g. {@code SIGNED MESSAGE}, for messages about what a file holds instead. */
    static List<String> headers(byte[] content) {
        List<String> types = new ArrayList<>();
        Matcher m = Pattern.compile("^-----BEGIN PGP ([A-Z ,0-9/]+)-----", Pattern.MULTILINE)
                .matcher(new String(content, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            types.add(m.group(1));
        }
        return types;
    }
}
