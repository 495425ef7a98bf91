package dev.chatlab.reports;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.Ack;
import dev.chatlab.core.history.HistoryEvent.Connect;
import dev.chatlab.core.history.HistoryEvent.Deliver;
import dev.chatlab.core.history.HistoryEvent.Disconnect;
import dev.chatlab.core.history.HistoryEvent.Send;
import dev.chatlab.core.history.HistoryWriter;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunReportTest {

    static final String SUMMARY = """
            {"seed": 7, "scenario": "tiny", "engine": "sim",
             "settings": {"name": "tiny", "duration": "3s", "topology": {"nodes": 2},
                          "faults": [{"at": "1500ms", "kill": "n2"}]},
             "counts": {"events": 9, "sends": 2, "acks": 2},
             "faults": {"planned": 1, "injected": 1, "by_kind": {"node-crash": 1}},
             "latency_us": {"send_to_ack": {"count": 2, "p50_us": 1000, "p99_us": 2000, "p999_us": 2000, "max_us": 2000}}}
            """;
    static final String VERDICT = """
            {"valid": false, "events": 9, "invariants": {
              "unique-seq": {"status": "ok", "violations": 0, "examples": []},
              "per-device-order": {"status": "violated", "violations": 3,
                 "examples": [{"device": "u2/d1", "chat": "c1", "lines": [7, 8]}]},
              "no-lost-ack": {"status": "not_applicable", "violations": 0, "examples": []}}}
            """;

    /** A small run folder: two devices, one message acked and delivered in each of two seconds, a disconnect and a reconnect. */
    static Path runFolder(Path dir) throws Exception {
        Files.writeString(dir.resolve("summary.json"), SUMMARY);
        Files.writeString(dir.resolve("verdict.json"), VERDICT);
        List<HistoryEvent> events = List.of(
                new Connect(0, "u1", "d1", "n1"),
                new Connect(0, "u2", "d1", "n2"),
                new Send(100_000, "u1", "d1", "c1", "m1"),
                new Ack(101_000, "u1", "d1", "c1", "m1", 1),
                new Deliver(103_000, "u2", "d1", "c1", 1, "m1", "u1", null),
                new Disconnect(1_500_000, "u2", "d1", "node-crash"),
                new Send(1_600_000, "u1", "d1", "c1", "m2"),
                new Ack(1_602_000, "u1", "d1", "c1", "m2", 2),
                new Connect(2_100_000, "u2", "d1", "n1"),
                new Deliver(2_200_000, "u2", "d1", "c1", 2, "m2", "u1", null));
        try (HistoryWriter w = HistoryWriter.open(dir.resolve("history.jsonl.gz"))) {
            for (HistoryEvent e : events) {
                w.write(e);
            }
        }
        return dir;
    }

    @Test
    void shouldWriteTheHtmlAndBothHlogFiles(@TempDir Path dir) throws Exception {
        RunReport.Written written = RunReport.write(runFolder(dir));
        assertThat(written.files()).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("report.html", "send-ack.hlog", "send-deliver.hlog");
        assertThat(written.metrics().count("reconnects")).isEqualTo(1);
    }

    @Test
    void shouldShowAckedFailedAndIndeterminateSendsFromTheHistory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("summary.json"), SUMMARY);
        Files.writeString(dir.resolve("verdict.json"), VERDICT);
        try (HistoryWriter w = HistoryWriter.open(dir.resolve("history.jsonl.gz"))) {
            w.write(new Connect(0, "u1", "d1", "n1"));
            w.write(new Send(100_000, "u1", "d1", "c1", "acked"));
            w.write(new Ack(101_000, "u1", "d1", "c1", "acked", 1));
            w.write(new Send(200_000, "u1", "d1", "c1", "refused"));
            w.write(new HistoryEvent.Fail(201_000, "u1", "d1", "c1", "refused"));
            w.write(new Send(300_000, "u1", "d1", "c1", "unknown-1"));
            w.write(new Send(400_000, "u1", "d1", "c1", "unknown-2"));
        }
        RunReport.write(dir);
        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("<tr><td>sent</td><td class=\"n\">4</td></tr>")
                .contains("<tr><td>acked (stored)</td><td class=\"n\">1</td></tr>")
                .contains("<tr><td>failed (refused, never stored)</td><td class=\"n\">1</td></tr>")
                .contains("<tr><td>indeterminate (no ack, no fail)</td><td class=\"n\">2</td></tr>");
    }

    @Test
    void shouldWriteHlogFilesThatHistogramLogReaderReadsBackIntervalByInterval(@TempDir Path dir) throws Exception {
        RunReport.write(runFolder(dir));
        List<Histogram> acks = HlogFiles.read(dir.resolve(HlogFiles.SEND_ACK));
        List<Histogram> delivers = HlogFiles.read(dir.resolve(HlogFiles.SEND_DELIVER));
        assertThat(acks).hasSize(3);
        assertThat(acks).extracting(Histogram::getTotalCount).containsExactly(1L, 1L, 0L);
        assertThat(acks.get(0).getMaxValue()).isEqualTo(1_000);
        assertThat(acks.get(1).getMaxValue()).isEqualTo(2_000);
        assertThat(acks.get(1).getStartTimeStamp()).isEqualTo(1_000);   // ms of run time
        assertThat(delivers).extracting(Histogram::getTotalCount).containsExactly(1L, 0L, 1L);
        // Above 2048 us a histogram keeps three significant digits: the max is the top of the value's bucket.
        assertThat(delivers.get(2).valuesAreEquivalent(delivers.get(2).getMaxValue(), 600_000)).isTrue();
    }

    @Test
    void shouldWriteByteIdenticalFilesWhenRenderedTwice(@TempDir Path dir) throws Exception {
        RunReport.write(runFolder(dir));
        byte[] html = Files.readAllBytes(dir.resolve("report.html"));
        byte[] hlog = Files.readAllBytes(dir.resolve("send-ack.hlog"));
        RunReport.write(dir);
        assertThat(Files.readAllBytes(dir.resolve("report.html"))).isEqualTo(html);
        assertThat(Files.readAllBytes(dir.resolve("send-ack.hlog"))).isEqualTo(hlog);
    }

    @Test
    void shouldRenderEveryChartVerdictNameAndNoExternalReference(@TempDir Path dir) throws Exception {
        RunReport.write(runFolder(dir));
        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
        for (String section : HtmlReport.SECTIONS) {
            assertThat(html).contains("id=\"" + section + "\"");
        }
        assertThat(count(html, "<svg ")).isEqualTo(5);
        assertThat(count(html, "<svg ")).isEqualTo(count(html, "</svg>"));
        assertThat(html).contains("unique-seq", "per-device-order", "no-lost-ack");
        assertThat(html).contains("violated 3").contains("not applicable");
        assertThat(html).contains("u2/d1");                            // the first example is shown
        assertThat(html).contains("kill n2");                          // the fault is marked on the time axis
        assertThat(html).contains("seed <b>7</b>").contains("tiny");
        assertThat(html).doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}");
        assertThat(html).doesNotContainPattern("(?i)<(script|link|img|iframe)\\b");
        assertThat(html).doesNotContainPattern("(?i)(src|href)=\"(?!#)");
        assertThat(html).startsWith("<!DOCTYPE html>").contains("</html>");
        assertThat(count(html, "<section")).isEqualTo(count(html, "</section>"));
        assertThat(count(html, "<table")).isEqualTo(count(html, "</table>"));
        assertThat(count(html, "<tr>")).isEqualTo(count(html, "</tr>"));
    }

    @Test
    void shouldShowTheLatencyAfterTheWarmUpBesideTheWholeRunsWhenTheScenarioLeftAWarmUpOut(@TempDir Path dir) throws Exception {
        runFolder(dir);
        Files.writeString(dir.resolve("summary.json"), SUMMARY.replace("\"latency_us\"", "\"latency_from_us\": 1000000, \"latency_us\""));
        RunReport.write(dir);
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("send &rarr; ack, sent after the warm-up (from 1.0 s)</td><td class=\"n\">2</td>")
                .contains("send &rarr; ack, whole run").contains("send &rarr; deliver, whole run");
        runFolder(dir);
        RunReport.write(dir);
        assertThat(Files.readString(dir.resolve("report.html"))).doesNotContain("warm-up").doesNotContain("whole run");
    }

    @Test
    void shouldShowHowBusyEachNodesCoresWereWhenTheRunGaveTheirWorkCosts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("summary.json"), """
                {"seed": 1, "scenario": "herd", "engine": "sim", "level": "full",
                 "latency_us": {"send_to_ack": {"count": 1, "p50_us": 1500, "p99_us": 1500, "p999_us": 1500, "max_us": 1500}},
                 "node_work": {"n1": {"cores": 1, "work": 66671, "busy_fraction": 0.277, "queue_delay_p50_us": 103,
                   "queue_delay_p99_us": 1028095, "queue_delay_max_us": 1084415, "refused_by_backlog": 7,
                   "busy_fraction_per_second": [0.05, 1.0, 0.79]}}}
                """);
        RunReport.write(dir);
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("Node work (cores, queueing)").contains("<td>n1</td>").contains("28%").contains("100%")
                .contains(HtmlReport.duration(1_028_095)).contains(">7</td>");
        Files.writeString(dir.resolve("summary.json"), SUMMARY);
        RunReport.write(dir);
        assertThat(Files.readString(dir.resolve("report.html"))).doesNotContain("Node work");
    }

    @Test
    void shouldRenderFromTheSummaryAloneWhenTheFolderHasNoHistory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("summary.json"), """
                {"seed": 3, "scenario": "big", "engine": "sim", "level": "coarse",
                 "checker": "checker: not applicable at coarse level",
                 "latency_us": {"send_to_ack": {"count": 5, "p50_us": 1500, "p99_us": 9000, "p999_us": 9000, "max_us": 9000}},
                 "timeseries": {"interval_us": 1000000, "start_us": [0, 1000000],
                   "open_connections": [10, 8], "connects": [10, 0], "disconnects": [0, 2], "reconnects": [0, 0],
                   "acks": [3, 2], "delivers": [9, 6], "ack_p50_us": [1500, -1], "ack_p99_us": [9000, -1],
                   "deliver_p50_us": [2000, 2100], "deliver_p99_us": [8000, 8100]}}
                """);
        RunReport.Written written = RunReport.write(dir);
        assertThat(written.files()).extracting(p -> p.getFileName().toString()).containsExactly("report.html");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("level <b>coarse</b>").contains("not applicable at coarse level");
        assertThat(html).contains("1.50 ms").contains("9.00 ms");
        assertThat(count(html, "<svg ")).isEqualTo(5);
    }

    @Test
    void shouldRefuseAMissingFolderAFileAndAFolderWithoutSummary(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> RunReport.write(dir.resolve("nope")))
                .isInstanceOf(ReportException.class).hasMessageContaining("no such run folder");
        assertThatThrownBy(() -> RunReport.write(dir))
                .isInstanceOf(ReportException.class).hasMessageContaining("no summary.json");
        Files.writeString(dir.resolve("file.txt"), "x");
        assertThatThrownBy(() -> RunReport.write(dir.resolve("file.txt")))
                .isInstanceOf(ReportException.class).hasMessageContaining("not a folder");
    }

    @Test
    void shouldNameTheFileAndLineOfABrokenSummaryOrHistory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("summary.json"), "{\n  \"seed\": 1,\n  \"scenario\": \n}");
        assertThatThrownBy(() -> RunReport.write(dir))
                .isInstanceOf(ReportException.class).hasMessageContaining("summary.json").hasMessageContaining("line 4");
        Files.writeString(dir.resolve("summary.json"), SUMMARY);
        Files.writeString(dir.resolve("history.jsonl"), "{\"t\":5,\"type\":\"connect\",\"user\":\"u1\"}\n");
        assertThatThrownBy(() -> RunReport.write(dir))
                .isInstanceOf(ReportException.class).hasMessageContaining("history.jsonl").hasMessageContaining("line 1");
    }

    @Test
    void shouldMarkAScheduleWithDurationsAndCountFaultsByKindInTheLedgerShape(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("summary.json"), """
                {"seed": 1, "scenario": "herd", "engine": "sim", "level": "full",
                 "settings": {"duration": "40s", "faults": {"schedule": [{"at": "8s", "kill": "n2", "for": "10s"},
                                                                         {"at": "12s", "partition": [["n1"], ["n3"]]}]}},
                 "faults": {"planned": 2, "injected": 1, "skipped": 1,
                            "by_kind": {"kill": {"planned": 1, "injected": 1, "skipped": 0},
                                        "heal": {"planned": 0, "injected": 0, "skipped": 0},
                                        "partition": {"planned": 1, "injected": 0, "skipped": 1}},
                            "skip_reasons": {"partition: after quiesce": 1}}}
                """);
        RunFolder run = RunFolder.open(dir);
        assertThat(run.faults()).extracting(FaultMark::atMicros).containsExactly(8_000_000L, 12_000_000L, 18_000_000L);
        assertThat(run.faults()).extracting(FaultMark::label).containsExactly("kill n2", "partition [[\"n1\"],[\"n3\"]]", "restart n2");
        RunReport.write(dir);
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<td>partition</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">1</td>");
        assertThat(html).doesNotContain("<td>heal</td>");                  // never planned, never fired: left out
        assertThat(html).contains("partition: after quiesce");
    }

    @Test
    void shouldReadDurationsInTheScenarioFilesWords() {
        assertThat(RunFolder.parseDuration("2s")).isEqualTo(2_000_000);
        assertThat(RunFolder.parseDuration("1500ms")).isEqualTo(1_500_000);
        assertThat(RunFolder.parseDuration("1.5s")).isEqualTo(1_500_000);
        assertThat(RunFolder.parseDuration("250us")).isEqualTo(250);
        assertThat(RunFolder.parseDuration("10m")).isEqualTo(600_000_000);
        assertThat(RunFolder.parseDuration("soon")).isNull();
    }

    @Test
    void shouldShowEachSloWithItsMeasuredValueAndTheOverridesOfTheRun(@TempDir Path dir) throws Exception {
        runFolder(dir);
        String withSlo = SUMMARY.trim().replaceFirst("}$", """
                , "overrides": ["topology.nodes=2"],
                 "slo": {"met": false, "violated": ["p99(send_to_ack) < 1ms"], "results": [
                   {"slo": "p99(send_to_ack) < 1ms", "status": "violated", "message": "measured 2ms, bound < 1ms"},
                   {"slo": "fails <= 0", "status": "met", "message": "measured 0, bound <= 0"}]}}
                """);
        Files.writeString(dir.resolve("summary.json"), withSlo);
        RunReport.write(dir);
        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("id=\"slo\"").contains("SLO not met").contains("<code>--set topology.nodes=2</code>")
                .contains("p99(send_to_ack) &lt; 1ms</td><td class=\"bad\">violated</td><td>measured 2ms, bound &lt; 1ms")
                .contains("fails &lt;= 0</td><td class=\"ok\">met</td>");
    }

    @Test
    void shouldLeaveTheSloSectionOutOfARunWithoutSlos(@TempDir Path dir) throws Exception {
        RunReport.write(runFolder(dir));
        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("id=\"slo\"").doesNotContain("SLO");
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
