package dev.chatlab.checker.output;

import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.Staleness;
import dev.chatlab.checker.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictJunitTest {

    private static final Verdict HELD = new Verdict(10, new TreeMap<>(), List.of(InvariantResult.of("unique-seq", 0, 4, List.of(), null)),
            Staleness.NONE, null);

    @Test
    void shouldAddExtraCasesAfterTheInvariantsAndCountTheirFailuresInTheSuite() {
        String xml = VerdictJunit.toXml(HELD, "history.jsonl", List.of(
                new VerdictJunit.ExtraCase("chatlab-slo", "fails <= 0", null),
                new VerdictJunit.ExtraCase("chatlab-slo", "p99(send_to_ack) < 1us", "measured 82ms, bound < 1us")));
        assertThat(xml).contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"0\"")
                .contains("<testcase classname=\"chatlab-slo\" name=\"fails &lt;= 0\"/>")
                .contains("<testcase classname=\"chatlab-slo\" name=\"p99(send_to_ack) &lt; 1us\">\n"
                        + "    <failure type=\"violated\" message=\"measured 82ms, bound &lt; 1us\">measured 82ms, bound &lt; 1us</failure>\n"
                        + "  </testcase>\n</testsuite>\n");
        assertThat(xml.indexOf("name=\"unique-seq\"")).isLessThan(xml.indexOf("chatlab-slo"));
    }

    @Test
    void shouldWriteTheSameXmlAsBeforeWithoutExtraCases() {
        assertThat(VerdictJunit.toXml(HELD, "h", List.of())).isEqualTo(VerdictJunit.toXml(HELD, "h"))
                .contains("tests=\"1\" failures=\"0\"");
    }
}
