package io.github.itsvc.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The config digest of a service project: SHA-256 over every file of its definition ({@code service.yaml}, sites,
 * templates, keys), its lock file and its POM (which names the template artifacts and their versions), by path
 * relative to the project. What test-deployment tested and what release tags must have the same digest.
 */
public final class ConfigDigest {

    private ConfigDigest() {}

    /**
     * @param basedir the project; paths are hashed relative to it, so the digest is the same in any checkout
     * @param inputs files and directories (walked); missing ones count as absent
     */
    public static String of(Path basedir, List<Path> inputs) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        Path base = basedir.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            Path absolute = base.resolve(input).normalize();
            if (Files.isRegularFile(absolute)) {
                files.add(absolute);
            } else if (Files.isDirectory(absolute)) {
                try (Stream<Path> walk = Files.walk(absolute)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        List<String> names = files.stream().distinct().map(f -> base.relativize(f).toString().replace('\\', '/'))
                .sorted().toList();
        for (String name : names) {
            byte[] bytes = Files.readAllBytes(base.resolve(name));
            // Length-prefixed, so no two different trees hash the same bytes.
            sha256.update((name.length() + ":" + name + ":" + bytes.length + ":").getBytes(StandardCharsets.UTF_8));
            sha256.update(bytes);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
