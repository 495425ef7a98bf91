package dev.chatlab.experiments;

import dev.chatlab.reports.Html;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Charts of means with their intervals as inline SVG (no script, no external resource, so a page
 * opens offline): a bar per variant with the interval as a whisker, or a metric against a numeric
 * parameter with the interval as a band. A NaN interval (a single run) draws no whisker.
 *
 * <pre>{@code
 * String svg = IntervalChart.bars("p99(send_to_ack)", metric::format, labels, means, lows, highs);
 * String line = IntervalChart.line("p99(send_to_ack)", "client.jitter_window (s)", metric::format, xs, means, lows, highs, bounds);
 * }</pre>
 */
final class IntervalChart {

    static final int WIDTH = 760;
    private static final int LABEL = 260;
    private static final int ROW = 26;
    private static final int TOP = 30;
    private static final int BOTTOM = 30;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int LINE_HEIGHT = 260;
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"};

    private IntervalChart() {
    }

    /** One horizontal bar per label from 0 (or the lowest value) to the mean, with the interval as a whisker. */
    static String bars(String title, DoubleFunction<String> format, List<String> labels, double[] means, double[] lows,
                       double[] highs) {
        double[] range = range(means, lows, highs, true);
        int height = TOP + ROW * labels.size() + BOTTOM;
        StringBuilder svg = open(WIDTH, height, title);
        double x0 = LABEL;
        double x1 = WIDTH - RIGHT;
        DoubleFunction<Double> x = v -> x0 + (v - range[0]) / (range[1] - range[0]) * (x1 - x0);
        axisX(svg, range, format, x, TOP + ROW * labels.size(), x0, x1);
        for (int i = 0; i < labels.size(); i++) {
            double y = TOP + ROW * i;
            String color = COLORS[i % COLORS.length];
            svg.append(text(LABEL - 6, y + ROW * 0.65, "end", labels.get(i)));
            if (Double.isNaN(means[i])) {
                svg.append(text(x0 + 4, y + ROW * 0.65, "start", "not measured"));
                continue;
            }
            double zero = x.apply(Math.max(range[0], Math.min(0, range[1])));
            double end = x.apply(means[i]);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" opacity=\"0.55\"><title>%s</title></rect>",
                    Math.min(zero, end), y + 4, Math.abs(end - zero), ROW - 8.0, color, Html.escape(labels.get(i) + ": " + format.apply(means[i]))));
            if (!Double.isNaN(lows[i])) {
                // A whisker below an axis that starts at 0 is cut there: a latency is never negative.
                double lo = x.apply(Math.max(lows[i], range[0]));
                double hi = x.apply(highs[i]);
                double mid = y + ROW / 2.0;
                svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"/>",
                        lo, mid, hi, lo, mid - 6, mid + 6, hi, mid - 6, mid + 6));
            }
            svg.append(text(Math.max(end, x.apply(Double.isNaN(highs[i]) ? means[i] : highs[i])) + 4, y + ROW * 0.65, "start",
                    format.apply(means[i])));
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * One line of {@link #line}: a mean per parameter value, its interval, and the single runs
     * ({@code seeds[i]} at the i-th value; may be null).
     */
    record Series(String name, double[] means, double[] lows, double[] highs, double[][] seeds) {
    }

    /**
     * Each series' mean against a parameter with its interval as a band and every run as a dot;
     * with more than one series (the other varied keys' combinations), a legend names them.
     */
    static String line(String title, String xTitle, DoubleFunction<String> format, double[] xs, List<Series> series) {
        double[] yr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            double[] r = range(s.means(), s.lows(), s.highs(), false);
            yr[0] = Math.min(yr[0], r[0]);
            yr[1] = Math.max(yr[1], r[1]);
            if (s.seeds() != null) {
                for (double[] runs : s.seeds()) {
                    for (double v : runs) {
                        yr[0] = Math.min(yr[0], v);
                        yr[1] = Math.max(yr[1], v);
                    }
                }
            }
        }
        boolean meansNonNegative = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.means()))
                .allMatch(v -> Double.isNaN(v) || v >= 0);
        if (meansNonNegative && yr[0] < 0) {
            yr[0] = 0;   // a band below 0 is cut there, as the bars' whiskers are: a latency is never negative
        }
        StringBuilder svg = open(WIDTH, LINE_HEIGHT, title);
        Plot plot = Plot.of(range(xs, xs, xs, false), yr, svg, format, xTitle);
        for (double v : xs) {
            svg.append(text(plot.x(v), Plot.BOTTOM + 16, "middle", trim(v)));
        }
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String color = COLORS[k % COLORS.length];
            StringBuilder band = new StringBuilder();
            StringBuilder back = new StringBuilder();
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isNaN(s.lows()[i])) {
                    band.append(band.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f", plot.x(xs[i]), plot.y(s.highs()[i])));
                    back.insert(0, String.format(Locale.ROOT, "L%.1f %.1f", plot.x(xs[i]), plot.y(Math.max(yr[0], s.lows()[i]))));
                }
            }
            if (band.length() > 0) {
                svg.append("<path d=\"").append(band).append(back).append("Z\" fill=\"").append(color).append("\" opacity=\"0.18\"/>");
            }
            if (s.seeds() != null) {
                for (int i = 0; i < xs.length; i++) {
                    for (double v : s.seeds()[i]) {
                        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\" opacity=\"0.6\"/>",
                                plot.x(xs[i]), plot.y(v), color));
                    }
                }
            }
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isNaN(s.means()[i])) {
                    path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f", plot.x(xs[i]), plot.y(s.means()[i])));
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s</title></circle>",
                            plot.x(xs[i]), plot.y(s.means()[i]), color,
                            Html.escape((s.name().isEmpty() ? "" : s.name() + ", ") + trim(xs[i]) + ": " + format.apply(s.means()[i]))));
                }
            }
            svg.append("<path d=\"").append(path).append("\" stroke=\"").append(color).append("\" stroke-width=\"2.2\" fill=\"none\"/>");
            if (series.size() > 1) {
                double ly = TOP + 4 + 16 * k;
                svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"%s\" stroke-width=\"3\"/>",
                        Plot.RIGHT_EDGE - 200, ly - 4, Plot.RIGHT_EDGE - 184, color));
                svg.append(text(Plot.RIGHT_EDGE - 180, ly, "start", s.name()));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * A capacity curve: the measured value at each probed parameter value (green where the probe
     * passed, red where it failed, NaN not drawn), joined in order of the parameter, with the
     * objective's bound as a dashed line.
     */
    static String curve(String title, String xTitle, DoubleFunction<String> format, double[] xs, double[] ys, boolean[] passes,
                        double bound) {
        double[] yr = range(ys, new double[] {bound}, new double[] {bound}, false);
        double[] xr = range(xs, xs, xs, false);
        StringBuilder svg = open(WIDTH, LINE_HEIGHT, title);
        Plot plot = Plot.of(xr, yr, svg, format, xTitle);
        DoubleFunction<Double> x = plot::x;
        DoubleFunction<Double> y = plot::y;
        double left = Plot.LEFT_EDGE;
        double right = Plot.RIGHT_EDGE;
        // Probes bunch up where the search bisects: evenly spaced ticks stay readable.
        for (int t = 0; t <= 4; t++) {
            double v = xr[0] + (xr[1] - xr[0]) * t / 4;
            svg.append(text(x.apply(v), Plot.BOTTOM + 16, "middle", trim(Math.rint(v))));
        }
        svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#c62828\" stroke-dasharray=\"6 4\"/>",
                left, y.apply(bound), right));
        svg.append(text(right - 4, y.apply(bound) - 4, "end", "bound " + format.apply(bound)));
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isNaN(ys[i])) {
                path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f", x.apply(xs[i]), y.apply(ys[i])));
            }
        }
        svg.append("<path d=\"").append(path).append("\" stroke=\"#1f77b4\" stroke-width=\"1.6\" fill=\"none\"/>");
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isNaN(ys[i])) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>%s</title></circle>",
                        x.apply(xs[i]), y.apply(ys[i]), passes[i] ? "#1a7f37" : "#c62828",
                        Html.escape(trim(xs[i]) + ": " + format.apply(ys[i]) + (passes[i] ? " (passed)" : " (failed)"))));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    /** The area of a line chart: value to pixel on both axes, with the y grid and the x axis's title drawn. */
    private record Plot(double[] xr, double[] yr) {
        static final double LEFT_EDGE = LEFT;
        static final double RIGHT_EDGE = WIDTH - RIGHT;
        static final double TOP_EDGE = TOP;
        static final double BOTTOM = LINE_HEIGHT - IntervalChart.BOTTOM - 12;

        static Plot of(double[] xr, double[] yr, StringBuilder svg, DoubleFunction<String> format, String xTitle) {
            Plot plot = new Plot(xr, yr);
            for (int t = 0; t <= 4; t++) {
                double v = yr[0] + (yr[1] - yr[0]) * t / 4;
                svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#e3e5ea\"/>", LEFT_EDGE, plot.y(v), RIGHT_EDGE));
                svg.append(text(LEFT_EDGE - 6, plot.y(v) + 4, "end", format.apply(v)));
            }
            svg.append(text((LEFT_EDGE + RIGHT_EDGE) / 2, LINE_HEIGHT - 8, "middle", xTitle));
            return plot;
        }

        double x(double v) {
            return LEFT_EDGE + (v - xr[0]) / (xr[1] - xr[0]) * (RIGHT_EDGE - LEFT_EDGE);
        }

        double y(double v) {
            return BOTTOM - (v - yr[0]) / (yr[1] - yr[0]) * (BOTTOM - TOP_EDGE);
        }
    }

    private static StringBuilder open(int width, int height, String title) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">");
        svg.append("<text x=\"8\" y=\"18\" font-weight=\"bold\" font-size=\"13\">").append(Html.escape(title)).append("</text>");
        return svg;
    }

    private static void axisX(StringBuilder svg, double[] range, DoubleFunction<String> format, DoubleFunction<Double> x,
                              double y, double x0, double x1) {
        svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#888\"/>", x0, y, x1));
        for (int t = 0; t <= 4; t++) {
            double v = range[0] + (range[1] - range[0]) * t / 4;
            svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"#e3e5ea\"/>", x.apply(v), (double) TOP, y));
            svg.append(text(x.apply(v), y + 16, "middle", format.apply(v)));
        }
    }

    /** The values' extent, padded a little; from 0 when {@code fromZero} and every value is positive. */
    private static double[] range(double[] means, double[] lows, double[] highs, boolean fromZero) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] a : new double[][] {means, lows, highs}) {
            for (double v : a) {
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            return new double[] {0, 1};
        }
        if (fromZero) {
            boolean meansNonNegative = true;
            for (double v : means) {
                meansNonNegative &= Double.isNaN(v) || v >= 0;
            }
            lo = meansNonNegative ? 0 : Math.min(lo, 0);
            hi = Math.max(hi, 0);
        }
        if (hi == lo) {
            hi = lo + Math.max(1, Math.abs(lo) * 0.1);
        }
        double pad = fromZero ? (hi - lo) * 0.12 : (hi - lo) * 0.05;
        return new double[] {fromZero && lo == 0 ? 0 : lo - pad, hi + pad};
    }

    private static String text(double x, double y, String anchor, String s) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor, Html.escape(s));
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
