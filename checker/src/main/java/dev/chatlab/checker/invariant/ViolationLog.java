package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts an invariant's violations and keeps the first few as examples. Examples are built only
 * while there is room, so a badly broken history costs a counter, not a string per violation.
 *
 * <pre>{@code
 * log.judged();
 * if (broken && log.count()) {
 *     log.example(new Example("...", message, device, List.of(), List.of(line)));
 * }
 * }</pre>
 */
public final class ViolationLog {

    /** How many examples a verdict shows per invariant. */
    public static final int EXAMPLES_MAX = 5;

    private final String name;
    private final List<Example> examples = new ArrayList<>();
    private long violations;
    private long judged;

    public ViolationLog(String name) {
        this.name = name;
    }

    /** Counts one violation; true when an example for it is still wanted. */
    public boolean count() {
        violations++;
        return examples.size() < EXAMPLES_MAX;
    }

    /** Counts {@code n} violations at once, without examples (add them with {@link #example}). */
    public void countMany(long n) {
        violations += n;
    }

    /** Counts one thing judged (a delivery, a receipt, an obligation, ...), violated or not. */
    public void judged() {
        judged++;
    }

    public void judged(long n) {
        judged += n;
    }

    public void example(Example example) {
        if (examples.size() < EXAMPLES_MAX) {
            examples.add(example);
        }
    }

    public long violations() {
        return violations;
    }

    public long judgedCount() {
        return judged;
    }

    /** The result; not applicable for {@code whyNone} when nothing was judged. */
    public InvariantResult result(String whyNone) {
        return InvariantResult.of(name, violations, judged, examples, whyNone);
    }
}
