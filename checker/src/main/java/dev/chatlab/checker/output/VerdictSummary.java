package dev.chatlab.checker.output;

import java.util.List;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.Staleness;
import dev.chatlab.checker.Verdict;

/**
 * The verdict as a person reads it: one line per invariant (ok / VIOLATED n / not applicable, with
 * how much it judged), the first examples of each violation under it, the event types skipped as
 * unknown, presence staleness, and a last line with the outcome and how many invariants held.
 *
 * <pre>{@code
 * System.out.print(VerdictSummary.render(verdict, "history.jsonl"));
 * }</pre>
 */
public final class VerdictSummary {

    /** Examples shown per violated invariant; the JSON verdict carries them all. */
    private static final int EXAMPLES_SHOWN = 3;

    private VerdictSummary() {
    }

    public static String render(Verdict verdict, String source) {
        StringBuilder out = new StringBuilder();
        if (verdict.error() != null) {
            out.append("chatlab check: ").append(source).append(": unreadable history at line ")
                    .append(verdict.error().line()).append(": ").append(verdict.error().reason()).append('\n');
            return out.toString();
        }
        out.append("chatlab check: ").append(source).append(" (").append(verdict.events()).append(" events)\n");
        int width = 0;
        for (InvariantResult result : verdict.invariants()) {
            width = Math.max(width, result.name().length());
        }
        for (InvariantResult result : verdict.invariants()) {
            out.append("  ").append(pad(result.name(), width)).append("  ");
            switch (result.status()) {
                case OK -> out.append("ok (judged ").append(result.judged()).append(' ').append(unit(result.name())).append(')');
                case VIOLATED -> out.append("VIOLATED ").append(result.violations()).append(" (judged ")
                        .append(result.judged()).append(' ').append(unit(result.name())).append(')');
                case NOT_APPLICABLE -> out.append("not applicable").append(result.reason() == null ? "" : " (" + result.reason() + ")");
            }
            out.append('\n');
            int shown = 0;
            for (Example example : result.examples()) {
                if (shown++ == EXAMPLES_SHOWN) {
                    break;
                }
                out.append("      - ").append(example.detail()).append('\n');
            }
        }
        if (!verdict.skippedTypes().isEmpty()) {
            out.append("  skipped, unknown event types: ");
            String separator = "";
            for (var skipped : verdict.skippedTypes().entrySet()) {
                out.append(separator).append('\'').append(skipped.getKey()).append("' ").append(skipped.getValue());
                separator = ", ";
            }
            out.append(" (misspelled? the format's types are member, connect, disconnect, send, ack, fail, deliver,"
                    + " read, receipt, presence, typing, quiesce)\n");
        }
        Staleness p = verdict.presence();
        if (p.count() + p.unknown() > 0) {
            out.append("  presence staleness: ").append(p.count()).append(" events, p50 ").append(p.p50())
                    .append(" us, p90 ").append(p.p90()).append(" us, p99 ").append(p.p99()).append(" us, max ")
                    .append(p.max()).append(" us; ").append(p.disagreeing()).append(" disagreed with the true state");
            if (p.unknown() > 0) {
                out.append("; ").append(p.unknown()).append(" about users with no connect yet");
            }
            out.append('\n');
        }
        List<String> notApplicable = verdict.notApplicable();
        String tally = verdict.held() + " of " + verdict.invariants().size() + " invariants held"
                + (notApplicable.isEmpty() ? "" : ", " + notApplicable.size() + " not applicable ("
                        + String.join(", ", notApplicable) + ")");
        if (verdict.valid()) {
            out.append("valid: ").append(tally).append('\n');
        } else {
            out.append("INVALID: violated ").append(String.join(", ", verdict.violated())).append("; ").append(tally).append('\n');
        }
        return out.toString();
    }

    /** What an invariant counts when it judges (history format v1.1, "coverage"). */
    public static String unit(String invariant) {
        return switch (invariant) {
            case "unique-seq" -> "committed messages";
            case "sender-fifo" -> "ordered pairs of sends";
            case "no-lost-ack" -> "obligations (message, owed live device)";
            case "read-after-deliver" -> "reads";
            case "receipt-monotone", "receipt-truthful" -> "receipts";
            default -> "deliveries";
        };
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
