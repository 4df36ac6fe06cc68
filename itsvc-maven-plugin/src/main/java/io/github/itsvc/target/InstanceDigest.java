package io.github.itsvc.target;

import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The config digest of one instance: what decides whether a running instance is kept or replaced. Covers its rendered
 * files (paths and bytes, cloud-init user-data included), the hashes of the binaries it installs and where, and its
 * run command. Same inputs, same digest, on every machine.
 */
public final class InstanceDigest {

    private InstanceDigest() {}

    public static String of(Role role, Path rendered, Map<String, VerifiedBinary> binaries) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.exists(rendered) ? Files.walk(rendered) : Stream.empty()) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            field(sha256, "file", rendered.relativize(file).toString().replace('\\', '/'));
            byte[] bytes = Files.readAllBytes(file);
            field(sha256, "bytes", Integer.toString(bytes.length));
            sha256.update(bytes);
        }
        for (Role.Install install : role.install()) {
            VerifiedBinary binary = binaries.get(install.binary());
            field(sha256, "install", install.binary() + " " + (binary == null ? "?" : binary.digests().sha256())
                    + " " + install.unpack() + " " + install.strip());
        }
        field(sha256, "run", role.run() == null ? "" : role.run());
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Length-prefixed, so no two different inputs hash the same bytes. */
    private static void field(MessageDigest digest, String name, String value) {
        byte[] bytes = (name + ":" + value.length() + ":" + value + "\n").getBytes(StandardCharsets.UTF_8);
        digest.update(bytes);
    }
}
