package dev.chatlab.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart over run time rendered as inline SVG, with no script and no external resource, so
 * a report opens offline. Points with a NaN value leave a gap. A logarithmic y axis suits
 * latencies that span milliseconds to seconds.
 *
 * <pre>{@code
 * String svg = new SvgChart("Connections", "sessions")
 *         .series("open", "#1f77b4", xsSeconds, open)
 *         .mark(2.0, "kill n2")
 *         .render();
 * }</pre>
 */
final class SvgChart {

    static final int WIDTH = 1040;
    static final int HEIGHT = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int BOTTOM = 38;

    private record Series(String name, String color, double[] xs, double[] ys) {
    }

    /** A vertical line at a time: a fault (label at the top) or the quiesce (label at the bottom). */
    private record Mark(double x, String label, boolean quiesce) {
    }

    /**
     * Series after the first are dashed, each its own way, and drawn thinner over a wider first
     * one: lines that coincide (no connects while there are no disconnects, say) stay visible.
     */
    private static final String[] DASHES = {"", "7 4", "2 3", "10 3 2 3"};
    private static final double FIRST_WIDTH = 3.2;
    private static final double OTHER_WIDTH = 1.8;

    private final String title;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private boolean logY;
    private double xMax = Double.NaN;

    SvgChart(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    SvgChart series(String name, String color, double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("xs and ys differ in length");
        }
        series.add(new Series(name, color, xs.clone(), ys.clone()));
        return this;
    }

    SvgChart mark(double xSeconds, String label) {
        marks.add(new Mark(xSeconds, label, false));
        return this;
    }

    /** Marks the quiesce: from here on no new message is sent and every device is owed what was acknowledged. */
    SvgChart quiesce(double xSeconds) {
        marks.add(new Mark(xSeconds, "quiesce", true));
        return this;
    }

    SvgChart logY() {
        this.logY = true;
        return this;
    }

    /** The right end of the time axis, seconds (defaults to the largest x). */
    SvgChart xMax(double seconds) {
        this.xMax = seconds;
        return this;
    }

    String render() {
        double x1 = Double.isNaN(xMax) ? 0 : xMax;
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.xs.length; i++) {
                x1 = Math.max(x1, s.xs[i]);
                double y = s.ys[i];
                if (!Double.isNaN(y) && (!logY || y > 0)) {
                    yLo = Math.min(yLo, y);
                    yHi = Math.max(yHi, y);
                }
            }
        }
        for (Mark m : marks) {
            x1 = Math.max(x1, m.x);
        }
        if (x1 <= 0) {
            x1 = 1;
        }
        boolean empty = yHi == Double.NEGATIVE_INFINITY;
        double[] ticks;
        if (logY) {
            double lo = empty ? 1 : Math.pow(10, Math.floor(Math.log10(yLo)));
            double hi = empty ? 10 : Math.pow(10, Math.ceil(Math.log10(yHi)));
            if (hi <= lo) {
                hi = lo * 10;
            }
            int n = (int) Math.round(Math.log10(hi / lo)) + 1;
            ticks = new double[n];
            for (int i = 0; i < n; i++) {
                ticks[i] = lo * Math.pow(10, i);
            }
        } else {
            double hi = empty || yHi <= 0 ? 1 : yHi;
            double step = niceStep(hi / 5);
            int n = (int) Math.ceil(hi / step - 1e-9) + 1;
            ticks = new double[n];
            for (int i = 0; i < n; i++) {
                ticks[i] = i * step;
            }
        }
        Axis y = new Axis(ticks[0], ticks[ticks.length - 1], logY);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        final double xEnd = x1;

        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"")
                .append(Html.escape(title)).append("\">\n");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"20\" class=\"ct\">").append(Html.escape(title)).append("</text>\n");
        // grid and y labels
        for (double t : ticks) {
            double py = TOP + plotH - y.fraction(t) * plotH;
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(f(py)).append("\" y2=\"").append(f(py)).append("\" class=\"grid\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(py + 4))
                    .append("\" class=\"yl\">").append(Html.escape(number(t))).append("</text>\n");
        }
        // x ticks
        double xStep = niceStep(xEnd / 10);
        for (double t = 0; t <= xEnd + 1e-9; t += xStep) {
            double px = LEFT + t / xEnd * plotW;
            svg.append("<line x1=\"").append(f(px)).append("\" x2=\"").append(f(px)).append("\" y1=\"")
                    .append(f(TOP + plotH)).append("\" y2=\"").append(f(TOP + plotH + 4)).append("\" class=\"axis\"/>")
                    .append("<text x=\"").append(f(px)).append("\" y=\"").append(f(TOP + plotH + 16))
                    .append("\" class=\"xl\">").append(Html.escape(number(t))).append("s</text>\n");
        }
        svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                .append(f(TOP + plotH)).append("\" y2=\"").append(f(TOP + plotH)).append("\" class=\"axis\"/>\n");
        svg.append("<text x=\"14\" y=\"").append(f(TOP + plotH / 2)).append("\" class=\"yt\" transform=\"rotate(-90 14 ")
                .append(f(TOP + plotH / 2)).append(")\">").append(Html.escape(yLabel)).append("</text>\n");
        svg.append("<text x=\"").append(f(LEFT + plotW / 2)).append("\" y=\"").append(HEIGHT - 4)
                .append("\" class=\"xt\">run time (s)</text>\n");
        // fault and quiesce markers
        for (Mark m : marks) {
            double px = LEFT + m.x / xEnd * plotW;
            svg.append("<line x1=\"").append(f(px)).append("\" x2=\"").append(f(px)).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(f(TOP + plotH)).append("\" class=\"").append(m.quiesce ? "quiesce" : "fault")
                    .append("\"/>").append("<text x=\"").append(f(px + 3)).append("\" y=\"")
                    .append(m.quiesce ? f(TOP + plotH - 6) : Integer.toString(TOP + 10))
                    .append("\" class=\"").append(m.quiesce ? "ql" : "fl").append("\">").append(Html.escape(m.label))
                    .append("</text>\n");
        }
        // series
        for (int index = 0; index < series.size(); index++) {
            Series s = series.get(index);
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.xs.length; i++) {
                double v = s.ys[i];
                if (Double.isNaN(v) || (logY && v <= 0)) {
                    pen = false;
                    continue;
                }
                double px = LEFT + s.xs[i] / xEnd * plotW;
                double py = TOP + plotH - y.fraction(v) * plotH;
                path.append(pen ? " L" : " M").append(f(px)).append(' ').append(f(py));
                pen = true;
            }
            if (path.length() > 0) {
                svg.append("<path d=\"").append(path.toString().trim()).append("\" fill=\"none\" stroke=\"")
                        .append(s.color).append("\"").append(stroke(index)).append("/>\n");
            }
        }
        // legend
        double lx = WIDTH - RIGHT;
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            lx -= 26 + 7 * s.name.length() + 18;
            svg.append("<line x1=\"").append(f(lx)).append("\" x2=\"").append(f(lx + 22)).append("\" y1=\"13\" y2=\"13\" stroke=\"")
                    .append(s.color).append("\"").append(stroke(i)).append("/><text x=\"").append(f(lx + 26))
                    .append("\" y=\"17\" class=\"lg\">").append(Html.escape(s.name)).append("</text>\n");
        }
        svg.append("</svg>");
        return svg.toString();
    }

    /** The width and dash pattern of the series at {@code index}, as SVG attributes. */
    private static String stroke(int index) {
        String dash = DASHES[index % DASHES.length];
        return " stroke-width=\"" + (index == 0 ? FIRST_WIDTH : OTHER_WIDTH) + "\""
                + (dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    private record Axis(double lo, double hi, boolean log) {
        double fraction(double v) {
            if (log) {
                return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            }
            return hi == lo ? 0 : (v - lo) / (hi - lo);
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        double nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
        return nice * p;
    }

    /** A compact label: 1500000 as 1.5M, 2500 as 2.5k, 0.25 as 0.25. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e4) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
