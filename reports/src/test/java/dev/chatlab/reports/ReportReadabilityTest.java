package dev.chatlab.reports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What a newcomer reading report.html needs: sentences, truthful counts, lines that do not hide each other, the quiesce. */
class ReportReadabilityTest {

    private static final String SENTENCE = "u13/d1 delivered seq 8193 of chat c5 at line 149 after seq 8194 (line 84)";

    /** A run folder with a violated invariant (50 violations, 5 examples listed), a fault and a quiesce. */
    private static String render(Path dir, String verdict) throws Exception {
        RunReportTest.runFolder(dir);
        Files.writeString(dir.resolve("summary.json"), """
                {"seed": 7, "scenario": "tiny", "engine": "sim",
                 "settings": {"name": "tiny", "duration": "3s", "quiesce_at": "2500ms", "topology": {"nodes": 2}},
                 "counts": {"history_events": 10},
                 "faults": {"planned": 2, "injected": 2, "by_kind": {"kill": {"planned": 1, "injected": 1, "skipped": 0},
                             "restart": {"planned": 1, "injected": 1, "skipped": 0}},
                            "timeline": [{"at_us": 250000, "kind": "kill", "node": "n2"},
                                         {"at_us": 2000000, "kind": "restart", "node": "n2"}]}}
                """);
        Files.writeString(dir.resolve("verdict.json"), verdict);
        RunReport.write(dir);
        return Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    }

    private static String example(int n) {
        return "{\"message\": {\"chat\": \"c5\", \"seq\": " + (8190 + n) + "}, \"device\": \"u13/d1\", \"lines\": [84, 149],"
                + " \"detail\": \"" + (n == 0 ? SENTENCE : "example " + n) + "\"}";
    }

    private static String violated(long violations, int listed) {
        StringBuilder examples = new StringBuilder();
        for (int i = 0; i < listed; i++) {
            examples.append(i == 0 ? "" : ", ").append(example(i));
        }
        return "{\"valid\": false, \"events\": 10, \"invariants\": {\"per-device-order\": {\"status\": \"violated\","
                + " \"violations\": " + violations + ", \"examples\": [" + examples + "]}}}";
    }

    @Test
    void shouldShowExamplesAsTheSentenceTheTerminalPrints(@TempDir Path dir) throws Exception {
        String html = render(dir, violated(50, 5));
        assertThat(html).contains(SENTENCE).doesNotContain("&quot;detail&quot;").doesNotContain("{&quot;message");
    }

    @Test
    void shouldSayTruthfullyWhatIsBeyondTheExamplesShown(@TempDir Path dir) throws Exception {
        assertThat(render(dir, violated(50, 5)))
                .contains("and 2 more examples in verdict.json; 45 more violations are counted, not listed (50 in all)");
        assertThat(HtmlReport.moreExamples(5, 3, 5)).isEqualTo("and 2 more examples in verdict.json");
        assertThat(HtmlReport.moreExamples(4, 3, 4)).isEqualTo("and 1 more example in verdict.json");
        assertThat(HtmlReport.moreExamples(9, 3, 3)).isEqualTo("6 more violations are counted, not listed (9 in all)");
        assertThat(HtmlReport.moreExamples(2, 2, 2)).isEmpty();
    }

    @Test
    void shouldDrawCoincidingSeriesSoThatEachStaysVisible() {
        double[] xs = {0.5, 1.5, 2.5};
        double[] same = {0, 3, 0};
        String svg = new SvgChart("connects and disconnects", "per second")
                .series("connects", "#4e79a7", xs, same).series("disconnects", "#e15759", xs, same).render();
        Matcher paths = Pattern.compile("<path d=\"[^\"]+\" fill=\"none\" stroke=\"(#\\w+)\" stroke-width=\"([0-9.]+)\"("
                + " stroke-dasharray=\"([0-9 ]+)\")?/>").matcher(svg);
        assertThat(paths.find()).isTrue();
        String firstWidth = paths.group(2);
        assertThat(paths.group(4)).as("the first series is solid").isNull();
        assertThat(paths.find()).isTrue();
        assertThat(paths.group(4)).as("the second is dashed").isNotBlank();
        assertThat(Double.parseDouble(paths.group(2))).as("and thinner, so the first shows around it")
                .isLessThan(Double.parseDouble(firstWidth));
    }

    @Test
    void shouldMarkTheQuiesceOnEveryTimeChart(@TempDir Path dir) throws Exception {
        String html = render(dir, violated(1, 1));
        int charts = count(html, "<svg class=\"chart\"");
        assertThat(charts).isGreaterThanOrEqualTo(5);
        assertThat(count(html, "class=\"quiesce\"")).isEqualTo(charts);
        assertThat(count(html, "class=\"ql\">quiesce</text>")).isEqualTo(charts);
    }

    @Test
    void shouldGiveFaultTimesInOneUnit(@TempDir Path dir) throws Exception {
        String html = render(dir, violated(1, 1));
        assertThat(html).contains("<th>at (s of run time)</th>", "<td class=\"n\">0.250</td><td>kill n2</td>",
                "<td class=\"n\">2.000</td><td>restart n2</td>");
    }

    @Test
    void shouldNotCallARunWhoseInvariantsAllJudgedNothingPassing(@TempDir Path dir) throws Exception {
        StringBuilder invariants = new StringBuilder();
        for (String name : new String[] {"unique-seq", "no-lost-ack"}) {
            invariants.append(invariants.length() == 0 ? "" : ", ").append('"').append(name)
                    .append("\": {\"status\": \"not-applicable\", \"violations\": 0, \"examples\": [], \"note\": \"coarse level\"}");
        }
        String html = render(dir, "{\"valid\": true, \"events\": 0, \"invariants\": {" + invariants + "}}");
        assertThat(html).contains("<span class=\"badge na\">not checked</span>", "coarse level")
                .doesNotContain("all invariants hold");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
