package dev.chatlab.checker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A gzipped history cut short (a run killed while writing it) is refused, saying how far it was read. */
class TruncatedHistoryTest {

    private static final Pattern LINES_READ = Pattern.compile("the file ends early: ([0-9,]+) complete lines were read"
            + " before the compressed stream stopped \\(is the file truncated\\?\\)");

    @TempDir
    Path dir;

    @Test
    void shouldSayHowManyLinesItReadBeforeTheGzipStreamEnded() throws Exception {
        HistoryBuilder history = new HistoryBuilder().member("c", "alice").member("c", "bob");
        for (int m = 1; m <= 20_000; m++) {
            history.sent("alice/phone", "c", "m" + m, m).deliver("bob/phone", "c", m, "m" + m, "alice");
        }
        String text = Histories.jsonl(history.events());
        long lines = text.lines().count();
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(gzipped)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = gzipped.toByteArray();
        Path cut = dir.resolve("history.jsonl.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));

        StringWriter err = new StringWriter();
        // The read-ahead thread once dropped the error when its queue was full, and the check waited forever.
        int exit = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> CheckRun.run(cut, null, null, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));

        assertThat(exit).isEqualTo(Verdict.EXIT_INPUT_ERROR);
        Matcher read = LINES_READ.matcher(err.toString());
        assertThat(read.find()).as(err.toString()).isTrue();
        long linesRead = Long.parseLong(read.group(1).replace(",", ""));
        assertThat(linesRead).as("lines read of %d", lines).isBetween(lines / 10, lines - 1);
    }
}
