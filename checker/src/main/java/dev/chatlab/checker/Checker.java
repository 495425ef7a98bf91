package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.history.io.EventView;
import dev.chatlab.history.io.HistoryFormatException;
import dev.chatlab.history.io.HistoryReader;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipException;

/**
 * Judges a recorded history file (JSON Lines, optionally gzipped) in one streaming pass.
 *
 * <pre>{@code
 * try {
 *     Verdict verdict = Checker.checkFile(Path.of("runs/r1/history.jsonl.gz"));
 *     System.out.print(VerdictSummary.render(verdict, "history.jsonl.gz"));
 * } catch (HistoryFormatException e) {
 *     System.err.println("line " + e.line() + ": " + e.reason());
 * }
 * }</pre>
 *
 * <p>The whole file is validated before a verdict is returned: events are judged while they are
 * read, and an input error anywhere in the file throws, discarding the judgement so far.
 */
public final class Checker {

    private Checker() {
    }

    /** Validates and judges the file; throws on the first line that breaks the format. */
    public static Verdict checkFile(Path path) throws IOException, HistoryFormatException {
        return checkFile(path, false);
    }

    /** Like {@link #checkFile(Path)}; when {@code strict}, an event of an unknown type is an input error. */
    public static Verdict checkFile(Path path, boolean strict) throws IOException, HistoryFormatException {
        try (HistoryReader reader = HistoryReader.open(path)) {
            try {
                return check(reader, strict);
            } catch (EOFException | ZipException e) {
                throw cutShort(reader.line(), e);
            }
        }
    }

    /** A file that stops mid-stream (a run killed while writing it, a partial copy) says how much of it was read. */
    private static IOException cutShort(long linesRead, IOException e) {
        return new IOException(String.format(Locale.ROOT, "the file ends early: %,d complete lines were read before"
                + " the compressed stream %s (is the file truncated?): %s", linesRead,
                e instanceof EOFException ? "stopped" : "broke", e.getMessage()), e);
    }

    /** Validates and judges everything the reader yields. */
    public static Verdict check(HistoryReader reader) throws IOException, HistoryFormatException {
        return check(reader, false);
    }

    private static Verdict check(HistoryReader reader, boolean strict) throws IOException, HistoryFormatException {
        HistoryChecker checker = new HistoryChecker(strict);
        EventView[] batch = EventView.batch(HistoryChecker.BATCH);
        for (int count; (count = reader.nextViews(batch)) > 0; ) {
            checker.acceptValidated(batch, count, reader.line());
        }
        return checker.finish();
    }

    /**
     * Like {@link #checkFile} but an input error becomes a verdict ({@link Verdict#error()} set,
     * exit code 2) instead of an exception; I/O failures still throw.
     */
    public static Verdict judgeFile(Path path) throws IOException {
        return judgeFile(path, false);
    }

    /** Like {@link #judgeFile(Path)}, strict as in {@link #checkFile(Path, boolean)}. */
    public static Verdict judgeFile(Path path, boolean strict) throws IOException {
        try {
            return checkFile(path, strict);
        } catch (HistoryFormatException e) {
            return Verdict.inputError(e.line(), e.reason());
        }
    }

    /** Judges events built in code, numbering them 1, 2, 3, ... */
    public static Verdict check(Iterable<? extends HistoryEvent> events) {
        HistoryChecker checker = new HistoryChecker();
        for (HistoryEvent event : events) {
            checker.accept(event);
        }
        return checker.finish();
    }
}
