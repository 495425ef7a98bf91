package dev.chatlab.checker;

import dev.chatlab.checker.output.VerdictJson;
import dev.chatlab.checker.output.VerdictJunit;
import dev.chatlab.checker.output.VerdictSummary;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code chatlab check FILE [--strict] [--json OUT] [--junit OUT]} does, apart from parsing its
 * arguments: judge the file, print the summary, write the verdict files, return the exit code
 * (0 every applicable invariant holds, 1 one is violated, 2 the input is unreadable or missing;
 * under {@code --strict} an unknown event type is an input error and an invariant that does not
 * apply is a failure).
 * It lives here, beside the checker, so that its behaviour is tested without building the CLI.
 *
 * <pre>{@code
 * PrintWriter out = new PrintWriter(System.out, true);
 * PrintWriter err = new PrintWriter(System.err, true);
 * int exit = CheckRun.run(Path.of("history.jsonl"), Path.of("verdict.json"), null, out, err);
 * }</pre>
 */
public final class CheckRun {

    private CheckRun() {
    }

    /**
     * @param history   the history file (JSON Lines, optionally gzipped)
     * @param jsonOut   where to write the JSON verdict, or null
     * @param junitOut  where to write the JUnit XML verdict, or null
     */
    public static int run(Path history, Path jsonOut, Path junitOut, PrintWriter out, PrintWriter err) {
        return run(history, false, jsonOut, junitOut, out, err);
    }

    /**
     * @param history   the history file (JSON Lines, optionally gzipped)
     * @param strict    refuse unknown event types (exit 2) and fail on invariants that do not apply (exit 1)
     * @param jsonOut   where to write the JSON verdict, or null
     * @param junitOut  where to write the JUnit XML verdict, or null
     */
    public static int run(Path history, boolean strict, Path jsonOut, Path junitOut, PrintWriter out, PrintWriter err) {
        String source = history.toString();
        Verdict verdict;
        if (!Files.exists(history)) {
            err.println("chatlab check: " + source + ": no such file (expected a history in JSON Lines, optionally gzipped)");
            verdict = Verdict.inputError(0, "no such file: " + source);
        } else if (Files.isDirectory(history)) {
            err.println("chatlab check: " + source + " is a directory; give the history file itself (e.g. "
                    + history.resolve("history.jsonl.gz") + ")");
            verdict = Verdict.inputError(0, "a directory, not a history file: " + source);
        } else {
            try {
                verdict = Checker.judgeFile(history, strict);
            } catch (IOException e) {
                verdict = Verdict.inputError(0, "cannot read the file: " + e.getMessage());
            }
            if (verdict.error() != null && verdict.error().line() > 0) {
                err.println("chatlab check: " + source + " line " + verdict.error().line() + ": " + verdict.error().reason());
            } else if (verdict.error() != null) {
                err.println("chatlab check: " + source + ": " + verdict.error().reason());
            } else {
                out.print(VerdictSummary.render(verdict, source));
                if (strict && verdict.valid() && !verdict.notApplicable().isEmpty()) {
                    out.println("FAILED under --strict: " + String.join(", ", verdict.notApplicable())
                            + " judged nothing");
                }
            }
        }
        if (!write(jsonOut, VerdictJson.toJson(verdict), err) | !write(junitOut, VerdictJunit.toXml(verdict, source), err)) {
            err.flush();
            return Verdict.EXIT_INPUT_ERROR;
        }
        out.flush();
        err.flush();
        return verdict.exitCode(strict);
    }

    private static boolean write(Path target, String text, PrintWriter err) {
        if (target == null) {
            return true;
        }
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer writer = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                writer.write(text);
            }
            return true;
        } catch (IOException e) {
            err.println("chatlab check: cannot write " + target + ": " + e.getMessage());
            return false;
        }
    }
}
