package io.github.itsvc.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksumListTest {

    private static final String A256 = "a".repeat(64);
    private static final String B256 = "0123456789abcdef".repeat(4);
    private static final String C512 = "c".repeat(128);
    private static final String MIXED512 = "0123456789ABCDEF".repeat(8);

    @Test
    void gnuLinesInTextAndBinaryMode() throws Exception {
        Map<String, String> list = ChecksumList.parse(
                A256 + "  tool-1.2.tar.gz\n" + B256 + " *tool-1.2.zip\n" + C512 + "  tool-1.2-src.tar.gz\n",
                "SHA256SUMS");

        assertThat(list).containsExactly(
                entry("tool-1.2.tar.gz", A256), entry("tool-1.2.zip", B256), entry("tool-1.2-src.tar.gz", C512));
    }

    @Test
    void bsdTagLines() throws Exception {
        Map<String, String> list = ChecksumList.parse(
                "SHA256 (tool-1.2.tar.gz) = " + A256 + "\n"
                        + "SHA512 (tool (final).zip) = " + MIXED512 + "\n"
                        + "SHA2-256(openssl.tar.gz)= " + B256 + "\n",
                "CHECKSUMS");

        assertThat(list).containsExactly(entry("tool-1.2.tar.gz", A256),
                entry("tool (final).zip", MIXED512.toLowerCase()), entry("openssl.tar.gz", B256));
    }

    @Test
    void hexIsLowerCased() throws Exception {
        assertThat(ChecksumList.parse(MIXED512 + " *apache-tomcat-11.0.24.tar.gz\n", "x.sha512"))
                .containsExactly(entry("apache-tomcat-11.0.24.tar.gz", MIXED512.toLowerCase()));
    }

    @Test
    void commentsBlankLinesCrlfAndBomAreSkipped() throws Exception {
        Map<String, String> list = ChecksumList.parse(
                "\uFEFF# Checksums for release 1.2\r\n\r\n   \r\n" + A256 + "  a.tar.gz\r\n  # indented comment\r\n"
                        + "  " + B256 + "  b.tar.gz",
                "SHA256SUMS");

        assertThat(list).containsExactly(entry("a.tar.gz", A256), entry("b.tar.gz", B256));
    }

    @Test
    void directoriesAndDotSlashAreDropped() throws Exception {
        Map<String, String> list = ChecksumList.parse(
                A256 + "  ./tool.tar.gz\n" + B256 + "  dist/linux/tool.zip\nSHA256 (./x/y.jar) = " + A256 + "\n",
                "SHA256SUMS");

        assertThat(list).containsOnlyKeys("tool.tar.gz", "tool.zip", "y.jar");
    }

    @Test
    void escapedNamesAreUnescaped() throws Exception {
        assertThat(ChecksumList.parse("\\" + A256 + "  odd\\\\name\\nline\n", "SHA256SUMS"))
                .containsOnlyKeys("odd\\name\nline");
    }

    @Test
    void namesThatCollideAfterDroppingDirectoriesAreRefused() {
        assertThatThrownBy(() -> ChecksumList.parse(
                        "# list\n" + A256 + "  linux/tool.tar.gz\n" + B256 + "  mac/tool.tar.gz\n", "SHA256SUMS"))
                .isInstanceOf(BinaryException.class)
                .hasMessageStartingWith("SHA256SUMS:3: \"tool.tar.gz\" is listed twice (first on line 2)");
        assertThatThrownBy(() -> ChecksumList.parse(
                        A256 + "  tool.tar.gz\nSHA256 (tool.tar.gz) = " + A256 + "\n", "SHA256SUMS"))
                .hasMessageStartingWith("SHA256SUMS:2: \"tool.tar.gz\" is listed twice");
    }

    @Test
    void malformedLinesAreRefusedWithOriginAndLineNumber() {
        String ok = A256 + "  good.tar.gz\n";
        assertThatThrownBy(() -> ChecksumList.parse(ok + "\n" + "abc  short.tar.gz\n", "https://x.example/SHA256SUMS"))
                .isInstanceOf(BinaryException.class)
                .hasMessageStartingWith("https://x.example/SHA256SUMS:3: malformed checksum line \"abc  short.tar.gz\"");
        assertThatThrownBy(() -> ChecksumList.parse(ok + A256 + "0  long.tar.gz\n", "SUMS"))
                .hasMessageStartingWith("SUMS:2: malformed checksum line");
        assertThatThrownBy(() -> ChecksumList.parse(ok + A256 + "\n", "SUMS"))
                .hasMessageStartingWith("SUMS:2: malformed checksum line");
        assertThatThrownBy(() -> ChecksumList.parse(ok + "g".repeat(64) + "  bad-hex.tar.gz\n", "SUMS"))
                .hasMessageStartingWith("SUMS:2: malformed checksum line");
        assertThatThrownBy(() -> ChecksumList.parse(ok + "MD5 (x.tar.gz) = " + "d".repeat(32) + "\n", "SUMS"))
                .hasMessageStartingWith("SUMS:2: malformed checksum line");
        assertThatThrownBy(() -> ChecksumList.parse("<html>\n<body>404</body>\n", "SUMS"))
                .hasMessageStartingWith("SUMS:1: malformed checksum line \"<html>\"");
        assertThatThrownBy(() -> ChecksumList.parse("SHA512 (x.tar.gz) = " + A256 + "\n", "SUMS"))
                .hasMessageStartingWith("SUMS:1: the SHA512 digest has 64 hex digits, expected 128");
        assertThatThrownBy(() -> ChecksumList.parse(A256 + "  dist/\n", "SUMS"))
                .hasMessageStartingWith("SUMS:1: no file name in");
        assertThatThrownBy(() -> ChecksumList.parse("\\" + A256 + "  bad\\x\n", "SUMS"))
                .hasMessageStartingWith("SUMS:1: bad escape");
    }

    @Test
    void controlCharactersInMessagesAreEscaped() {
        assertThatThrownBy(() -> ChecksumList.parse("\u001b[31mred\n", "SUMS"))
                .hasMessageStartingWith("SUMS:1: malformed checksum line \"\\u001b[31mred\"");
    }

    @Test
    void anEmptyListIsRefused() {
        assertThatThrownBy(() -> ChecksumList.parse("# nothing\n\n", "SHA256SUMS"))
                .hasMessage("SHA256SUMS lists no checksum");
    }

    @Test
    void clearSignedListsAreRefusedWithWhatToUseInstead() {
        String clearSigned = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + A256 + "  tool.tar.gz\n"
                + "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n";

        assertThatThrownBy(() -> ChecksumList.parse(clearSigned, "SHA256SUMS"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("SHA256SUMS is a clear-signed checksum list")
                .hasMessageContaining("detached signature (SHA256SUMS with SHA256SUMS.asc");
    }
}
