package dev.chatlab.checker;

import dev.chatlab.checker.output.VerdictSummary;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Test helpers: a history as the JSON Lines a file would hold, with line numbers, for failure messages. */
final class Histories {

    private Histories() {
    }

    static String jsonl(List<HistoryEvent> events) {
        StringWriter text = new StringWriter();
        try (HistoryWriter writer = new HistoryWriter(text)) {
            for (HistoryEvent event : events) {
                writer.write(event);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    static String describe(Verdict verdict, List<HistoryEvent> events) {
        StringBuilder out = new StringBuilder(VerdictSummary.render(verdict, "generated"));
        String[] lines = jsonl(events).split("\n");
        for (int i = 0; i < lines.length; i++) {
            out.append(String.format("%4d %s%n", i + 1, lines[i]));
        }
        return out.toString();
    }
}
