package io.github.itsvc.target;

import io.github.itsvc.binaries.VerifiedBinary;
import io.github.itsvc.model.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The config digest of one instance: what decides whether a running instance is kept or replaced. Covers its rendered
 * files (paths, modes and bytes, cloud-init user-data included), the hashes of the binaries it installs and where,
 * its run command and its ports (names and numbers: the process gets them in its environment whether a template uses
 * them or not). Same inputs, same digest, on every machine.
 */
public final class InstanceDigest {

    private InstanceDigest() {}

    /**
     * @param role the instance's role
     * @param ports the instance's ports by name, as placed
     * @param rendered the instance's rendered directory ({@code root/}, {@code cloud-init/user-data})
     * @param binaries the service's verified binaries by name
     */
    public static String of(Role role, Map<String, Integer> ports, Path rendered, Map<String, VerifiedBinary> binaries)
            throws IOException {
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
            field(sha256, "mode", mode(file));
            byte[] bytes = Files.readAllBytes(file);
            field(sha256, "bytes", Integer.toString(bytes.length));
            sha256.update(bytes);
        }
        for (Role.Install install : role.install()) {
            VerifiedBinary binary = binaries.get(install.binary());
            field(sha256, "install", install.binary() + " " + (binary == null ? "?" : binary.digests().sha256())
                    + " " + install.unpack() + " " + install.strip());
        }
        if (role.image() != null && role.image().binary() != null) {
            // Only for images from binaries, so digests of roles booting a named image stay as they were.
            VerifiedBinary image = binaries.get(role.image().binary());
            field(sha256, "image", role.image().binary() + " " + (image == null ? "?" : image.digests().sha256()));
        }
        field(sha256, "run", role.run() == null ? "" : role.run());
        new TreeMap<>(ports).forEach((name, port) -> field(sha256, "port", name + " " + port));
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The POSIX permissions (the renderer sets them: an executable bit matters), or "-" where there are none. */
    private static String mode(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return "-";
        }
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** Length-prefixed, so no two different inputs hash the same bytes. */
    private static void field(MessageDigest digest, String name, String value) {
        byte[] bytes = (name + ":" + value.length() + ":" + value + "\n").getBytes(StandardCharsets.UTF_8);
        digest.update(bytes);
    }
}
