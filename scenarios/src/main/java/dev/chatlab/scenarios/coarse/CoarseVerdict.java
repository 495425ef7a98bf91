package dev.chatlab.scenarios.coarse;

import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.Staleness;
import dev.chatlab.checker.Verdict;
import dev.chatlab.checker.invariant.Invariants;
import dev.chatlab.checker.output.VerdictJson;
import dev.chatlab.checker.output.VerdictJunit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The verdict of a coarse run: no history is recorded at this level, so every invariant is
 * not-applicable with the reason {@link #REASON}. It is still written as {@code verdict.json} and
 * {@code verdict.xml} (a skipped test case per invariant), so that CI collecting them from every
 * run finds them, and sees that nothing was judged.
 */
public final class CoarseVerdict {

    public static final String REASON = "coarse level";

    private CoarseVerdict() {
    }

    public static Verdict of() {
        return new Verdict(0, new java.util.TreeMap<>(), Invariants.NAMES.stream().map(name -> InvariantResult.notApplicable(name, REASON)).toList(),
                Staleness.NONE, null);
    }

    static void write(Verdict verdict, Path outDir) throws IOException {
        Files.writeString(outDir.resolve("verdict.json"), VerdictJson.toJson(verdict), StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("verdict.xml"), VerdictJunit.toXml(verdict, "(no history at the coarse level)"),
                StandardCharsets.UTF_8);
    }
}
