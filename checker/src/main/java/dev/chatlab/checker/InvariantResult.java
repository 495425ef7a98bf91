package dev.chatlab.checker;

import java.util.List;

/**
 * The judgement of one invariant: status, how many violations, how much it judged, and the first
 * few examples. An invariant that judged nothing is never {@code ok}: it is not applicable, with
 * the reason (history format v1.1, "a pass must have judged something").
 *
 * @param name       the invariant's stable name (for example {@code no-hole})
 * @param status     ok, violated or not applicable
 * @param violations how many violations (0 unless violated)
 * @param judged     how many things it judged (deliveries, committed messages, obligations, ...)
 * @param examples   the first violations found, at most a handful
 * @param reason     why the invariant does not apply, or null
 */
public record InvariantResult(String name, InvariantStatus status, long violations, long judged, List<Example> examples,
                              String reason) {

    public InvariantResult {
        examples = List.copyOf(examples);
    }

    public static InvariantResult notApplicable(String name, String why) {
        return new InvariantResult(name, InvariantStatus.NOT_APPLICABLE, 0, 0, List.of(), why);
    }

    /** Violated when anything was, else ok when something was judged, else not applicable for {@code whyNone}. */
    public static InvariantResult of(String name, long violations, long judged, List<Example> examples, String whyNone) {
        if (violations > 0) {
            return new InvariantResult(name, InvariantStatus.VIOLATED, violations, judged, examples, null);
        }
        if (judged == 0) {
            return new InvariantResult(name, InvariantStatus.NOT_APPLICABLE, 0, 0, List.of(), whyNone);
        }
        return new InvariantResult(name, InvariantStatus.OK, 0, judged, List.of(), null);
    }
}
