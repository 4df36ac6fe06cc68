package io.github.itsvc.target.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    private Path log(String content) throws IOException {
        Path file = dir.resolve("log");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void lastLinesOldestFirstWithoutATrailingEmptyOne() throws IOException {
        Path file = log("one\ntwo\r\nthree\nfour\n");
        assertThat(LogTail.lastLines(file, 2, 1000)).containsExactly("three", "four");
        assertThat(LogTail.lastLines(file, 10, 1000)).containsExactly("one", "two", "three", "four");
        assertThat(LogTail.lastLines(file, 0, 1000)).isEmpty();
    }

    @Test
    void readsAtMostMaxBytesAndMarksACutLine() throws IOException {
        String big = IntStream.range(0, 20_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        Path file = log(big + "\n" + "x".repeat(100) + "\nlast\n");
        List<String> tail = LogTail.lastLines(file, 1000, 50);
        assertThat(String.join("\n", tail).length()).isLessThanOrEqualTo(50 + "[...]".length());
        assertThat(tail).endsWith("last");
        assertThat(tail.get(0)).startsWith("[...]x");
    }

    @Test
    void aCutExactlyAtALineStartLeavesTheLineWhole() throws IOException {
        Path file = log("first\nsecond\n");
        assertThat(LogTail.lastLines(file, 10, "second\n".length())).containsExactly("second");
    }

    @Test
    void aCutInsideAMultibyteCharacterDoesNotFail() throws IOException {
        Path file = log("ééééé\n");
        assertThat(LogTail.lastLines(file, 1, 4)).containsExactly("[...]\uFFFDé"); // 4 bytes: half an é, then a whole one
    }

    @Test
    void missingLogsAreEmpty() throws IOException {
        LogTail tail = LogTail.read(dir.resolve("web-1"), 10);
        assertThat(tail.stdout()).isEmpty();
        assertThat(tail.stderr()).isEmpty();
        assertThat(tail.format()).isEqualTo("(logs are empty)\n");
    }

    @Test
    void formatsBothLogs() throws IOException {
        Path instance = dir.resolve("web-1");
        Files.createDirectories(InstanceLayout.logs(instance));
        Files.writeString(InstanceLayout.stdoutLog(instance), "a\nb\n");
        Files.writeString(InstanceLayout.stderrLog(instance), "boom\n");
        assertThat(LogTail.read(instance, 1).format()).isEqualTo("""
                stdout (last 1 lines):
                  b
                stderr (last 1 lines):
                  boom
                """);
    }
}
