package dev.chatlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReportCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Chatlab.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldExit2NamingAMissingFolder(@TempDir Path dir) {
        assertThat(run("report", dir.resolve("absent").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("absent").contains("no such run folder");
    }

    @Test
    void shouldExit2ForAFolderThatIsNotARun(@TempDir Path dir) {
        assertThat(run("report", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not a run folder (no summary.json)");
    }

    @Test
    void shouldExit2NamingTheLineOfABrokenSummary(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("summary.json"), "{\"seed\": 1,\n \"scenario\": oops}");
        assertThat(run("report", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("summary.json").contains("line 2");
    }

    @Test
    void shouldWriteTheReportOfARunFolderAndExit0(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("summary.json"), "{\"seed\": 1, \"scenario\": \"s\", \"engine\": \"sim\", \"counts\": {}}");
        Files.writeString(dir.resolve("history.jsonl"), "{\"t\":0,\"type\":\"connect\",\"user\":\"u1\",\"device\":\"d1\",\"node\":\"n1\"}\n");
        assertThat(run("report", dir.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("report.html").contains("send-ack.hlog");
        assertThat(dir.resolve("report.html")).exists();
        assertThat(dir.resolve("send-deliver.hlog")).exists();
    }

    @Test
    void shouldRefuseANonPositiveInterval(@TempDir Path dir) {
        assertThat(run("report", dir.toString(), "--interval-ms", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--interval-ms must be positive");
    }
}
