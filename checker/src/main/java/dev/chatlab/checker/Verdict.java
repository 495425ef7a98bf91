package dev.chatlab.checker;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the checker concluded about one history: every invariant's result and the presence
 * staleness, or the input error that stopped it. Render it with
 * {@link dev.chatlab.checker.output.VerdictSummary}, {@link dev.chatlab.checker.output.VerdictJson}
 * or {@link dev.chatlab.checker.output.VerdictJunit}.
 *
 * <pre>{@code
 * Verdict verdict = Checker.checkFile(Path.of("history.jsonl.gz"));
 * System.exit(verdict.exitCode()); // 0 valid, 1 violated, 2 input error
 * }</pre>
 *
 * @param events       events read (lines that are not blank), those of unknown types included
 * @param skippedTypes events of types the format does not know, skipped, counted by type name
 * @param invariants   results in the contract's order; empty when {@code error} is set
 * @param presence     presence staleness
 * @param error        the input error, or null
 */
public record Verdict(long events, SortedMap<String, Long> skippedTypes, List<InvariantResult> invariants,
                      Staleness presence, InputError error) {

    public static final int EXIT_VALID = 0;
    public static final int EXIT_VIOLATED = 1;
    public static final int EXIT_INPUT_ERROR = 2;

    public Verdict {
        invariants = List.copyOf(invariants);
        skippedTypes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(skippedTypes));
    }

    public static Verdict inputError(long line, String reason) {
        return new Verdict(0, new TreeMap<>(), List.of(), Staleness.NONE, new InputError(line, reason));
    }

    /** True when the input was readable and no applicable invariant is violated. */
    public boolean valid() {
        return error == null && invariants.stream().noneMatch(r -> r.status() == InvariantStatus.VIOLATED);
    }

    /** 0 when valid, 1 when an invariant is violated, 2 when the input is unreadable. */
    public int exitCode() {
        if (error != null) {
            return EXIT_INPUT_ERROR;
        }
        return valid() ? EXIT_VALID : EXIT_VIOLATED;
    }

    /** The result of the named invariant; throws if there is none by that name. */
    public InvariantResult invariant(String name) {
        return invariants.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no invariant named " + name));
    }

    /** Names of the invariants that did not apply, in the contract's order. */
    public List<String> notApplicable() {
        return invariants.stream().filter(r -> r.status() == InvariantStatus.NOT_APPLICABLE).map(InvariantResult::name).toList();
    }

    /** How many invariants held, having judged something. */
    public long held() {
        return invariants.stream().filter(r -> r.status() == InvariantStatus.OK).count();
    }

    /**
     * The exit code under {@code --strict}, for gates that must not pass on a history that proved
     * nothing: an invariant that does not apply fails (1) like a violated one. (Unknown types are
     * refused while reading, see {@link HistoryChecker#HistoryChecker(boolean)}.)
     */
    public int exitCode(boolean strict) {
        int exit = exitCode();
        return strict && exit == EXIT_VALID && !notApplicable().isEmpty() ? EXIT_VIOLATED : exit;
    }

    /** Names of the violated invariants, in the contract's order. */
    public List<String> violated() {
        return invariants.stream().filter(r -> r.status() == InvariantStatus.VIOLATED).map(InvariantResult::name).toList();
    }
}
