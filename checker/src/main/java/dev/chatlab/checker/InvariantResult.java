package dev.chatlab.checker;

import java.util.List;

/**
 * The judgement of one invariant: status, how many violations, and the first few examples.
 *
 * @param name       the invariant's stable name (for example {@code no-hole})
 * @param status     ok, violated or not applicable
 * @param violations how many violations (0 unless violated)
 * @param examples   the first violations found, at most a handful
 * @param note       why the invariant does not apply, or null
 */
public record InvariantResult(String name, InvariantStatus status, long violations, List<Example> examples, String note) {

    public InvariantResult {
        examples = List.copyOf(examples);
    }

    public static InvariantResult notApplicable(String name, String why) {
        return new InvariantResult(name, InvariantStatus.NOT_APPLICABLE, 0, List.of(), why);
    }
}
