package dev.chatlab.reports;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SvgChartTest {

    @Test
    void shouldBreakTheLineWhereAnIntervalHasNoSample() {
        String svg = new SvgChart("t", "ms").series("p50", "#000", new double[] {0.5, 1.5, 2.5, 3.5},
                new double[] {1, Double.NaN, 2, 3}).render();
        String d = svg.substring(svg.indexOf(" d=\"") + 4);
        d = d.substring(0, d.indexOf('"'));
        assertThat(d.chars().filter(c -> c == 'M').count()).isEqualTo(2);
        assertThat(d.chars().filter(c -> c == 'L').count()).isEqualTo(1);
    }

    @Test
    void shouldDrawLogTicksAtPowersOfTen() {
        String svg = new SvgChart("t", "ms").logY().series("p99", "#000", new double[] {1, 2}, new double[] {3, 4_000})
                .render();
        assertThat(svg).contains(">1</text>", ">10</text>", ">100</text>", ">1000</text>", ">10k</text>");
        assertThat(svg).doesNotContain(">100k</text>");
    }

    @Test
    void shouldEscapeLabelsAndMarkFaults() {
        String svg = new SvgChart("a<b", "y").mark(1.0, "kill \"n2\"").series("s", "#000", new double[] {0, 2},
                new double[] {1, 2}).render();
        assertThat(svg).contains("a&lt;b").contains("kill &quot;n2&quot;").contains("class=\"fault\"");
    }

    @Test
    void shouldPickNiceSteps() {
        assertThat(SvgChart.niceStep(0.7)).isEqualTo(1);
        assertThat(SvgChart.niceStep(13)).isEqualTo(20);
        assertThat(SvgChart.niceStep(41)).isEqualTo(50);
        assertThat(SvgChart.niceStep(60)).isEqualTo(100);
    }
}
