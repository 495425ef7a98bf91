package dev.chatlab.checker.output;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.InvariantStatus;
import dev.chatlab.checker.Verdict;

/**
 * The verdict as JUnit XML for CI systems: a test suite named {@code chatlab-checker} with one
 * test case per invariant; a violated invariant is a failure (its examples in the body), one that
 * does not apply is skipped. An unreadable history is one test case, {@code history-format}, in
 * error. Checks judged beside the invariants (a scenario's SLOs) can be added as
 * {@link ExtraCase}s: one test case each, in a class of their own, a failure when not met.
 *
 * <pre>{@code
 * Files.writeString(Path.of("verdict.xml"), VerdictJunit.toXml(verdict, "history.jsonl"));
 * }</pre>
 */
public final class VerdictJunit {

    public static final String SUITE = "chatlab-checker";

    private VerdictJunit() {
    }

    /**
     * A test case beside the invariants: {@code failure} is the failure message, or null when the
     * check passed; {@code classname} groups such cases apart from {@link #SUITE}'s invariants.
     */
    public record ExtraCase(String classname, String name, String failure) {
    }

    public static String toXml(Verdict verdict, String source) {
        return toXml(verdict, source, java.util.List.of());
    }

    /** The verdict with {@code extra} test cases after the invariants' (counted in the suite's totals). */
    public static String toXml(Verdict verdict, String source, java.util.List<ExtraCase> extra) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if (verdict.error() != null) {
            xml.append("<testsuite name=\"").append(SUITE).append("\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n");
            xml.append("  <properties><property name=\"history\" value=\"").append(escape(source)).append("\"/></properties>\n");
            String message = "line " + verdict.error().line() + ": " + verdict.error().reason();
            xml.append("  <testcase classname=\"").append(SUITE).append("\" name=\"history-format\">\n");
            xml.append("    <error type=\"unreadable-history\" message=\"").append(escape(message)).append("\">")
                    .append(escape(message)).append("</error>\n");
            xml.append("  </testcase>\n</testsuite>\n");
            return xml.toString();
        }
        long failures = verdict.invariants().stream().filter(r -> r.status() == InvariantStatus.VIOLATED).count()
                + extra.stream().filter(c -> c.failure() != null).count();
        long skipped = verdict.invariants().stream().filter(r -> r.status() == InvariantStatus.NOT_APPLICABLE).count();
        xml.append("<testsuite name=\"").append(SUITE).append("\" tests=\"").append(verdict.invariants().size() + extra.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"").append(skipped).append("\">\n");
        xml.append("  <properties>\n");
        xml.append("    <property name=\"history\" value=\"").append(escape(source)).append("\"/>\n");
        xml.append("    <property name=\"events\" value=\"").append(verdict.events()).append("\"/>\n");
        for (InvariantResult result : verdict.invariants()) {
            xml.append("    <property name=\"judged.").append(escape(result.name())).append("\" value=\"")
                    .append(result.judged()).append("\"/>\n");
        }
        for (var type : verdict.skippedTypes().entrySet()) {
            xml.append("    <property name=\"skipped-type.").append(escape(type.getKey())).append("\" value=\"")
                    .append(type.getValue()).append("\"/>\n");
        }
        xml.append("  </properties>\n");
        for (InvariantResult result : verdict.invariants()) {
            xml.append("  <testcase classname=\"").append(SUITE).append("\" name=\"").append(escape(result.name())).append('"');
            if (result.status() == InvariantStatus.OK) {
                xml.append("/>\n");
                continue;
            }
            xml.append(">\n");
            if (result.status() == InvariantStatus.NOT_APPLICABLE) {
                xml.append("    <skipped message=\"").append(escape("not applicable: " + result.reason())).append("\"/>\n");
            } else {
                String message = result.violations() + " violation" + (result.violations() == 1 ? "" : "s");
                xml.append("    <failure type=\"violated\" message=\"").append(escape(message)).append("\">");
                for (Example example : result.examples()) {
                    xml.append(escape(example.detail() + " (lines " + example.lines() + ")")).append('\n');
                }
                xml.append("</failure>\n");
            }
            xml.append("  </testcase>\n");
        }
        for (ExtraCase c : extra) {
            xml.append("  <testcase classname=\"").append(escape(c.classname())).append("\" name=\"").append(escape(c.name()))
                    .append('"');
            if (c.failure() == null) {
                xml.append("/>\n");
                continue;
            }
            xml.append(">\n    <failure type=\"violated\" message=\"").append(escape(c.failure())).append("\">")
                    .append(escape(c.failure())).append("</failure>\n  </testcase>\n");
        }
        xml.append("</testsuite>\n");
        return xml.toString();
    }

    /** Escapes text for an XML attribute or element; drops characters XML 1.0 cannot carry. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\n' -> out.append("&#10;");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append("&#9;");
                default -> {
                    boolean legal = c >= 0x20 && c != 0xFFFE && c != 0xFFFF;
                    if (legal) {
                        out.append(c);
                    } else {
                        out.append('\uFFFD');
                    }
                }
            }
        }
        return out.toString();
    }
}
