package dev.chatlab.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a run folder that a report reads: {@code summary.json} (required), the verdict
 * (from {@code verdict.json}, else the summary's {@code verdict}), and where the history is.
 *
 * <pre>{@code
 * RunFolder run = RunFolder.open(Path.of("runs/smoke-1"));   // ReportException if missing or broken
 * String name = run.text("scenario", "?");
 * List<FaultMark> faults = run.faults();
 * }</pre>
 */
public final class RunFolder {

    public static final String SUMMARY = "summary.json";
    public static final String VERDICT = "verdict.json";
    public static final String HISTORY = "history.jsonl.gz";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern DURATION = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m|min|h)");

    private final Path dir;
    private final JsonNode summary;
    private final JsonNode verdict;

    private RunFolder(Path dir, JsonNode summary, JsonNode verdict) {
        this.dir = dir;
        this.summary = summary;
        this.verdict = verdict;
    }

    /** Reads a run folder; fails with a message naming the folder or the file and what is wrong. */
    public static RunFolder open(Path dir) throws ReportException {
        if (!Files.exists(dir)) {
            throw new ReportException(dir + ": no such run folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new ReportException(dir + ": not a folder (give the run folder that holds summary.json)");
        }
        Path summaryFile = dir.resolve(SUMMARY);
        if (!Files.isRegularFile(summaryFile)) {
            throw new ReportException(dir + ": not a run folder (no " + SUMMARY + ")");
        }
        JsonNode summary = readObject(summaryFile);
        Path verdictFile = dir.resolve(VERDICT);
        JsonNode verdict = Files.isRegularFile(verdictFile) ? readObject(verdictFile) : summary.path("verdict");
        return new RunFolder(dir, summary, verdict);
    }

    private static JsonNode readObject(Path file) throws ReportException {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new ReportException(file + ": expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ReportException(file + ": broken JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ReportException(file + ": unreadable: " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public JsonNode summary() {
        return summary;
    }

    /** The verdict object ({@code valid}, {@code invariants}, ...); a missing node if the run has none. */
    public JsonNode verdict() {
        return verdict;
    }

    /** The history file if the folder holds one; a coarse run keeps none. */
    public Path history() {
        Path gz = dir.resolve(HISTORY);
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve("history.jsonl");
        return Files.isRegularFile(plain) ? plain : null;
    }

    /** A top-level text field of the summary, or {@code fallback}. */
    public String text(String field, String fallback) {
        JsonNode n = summary.get(field);
        return n == null || n.isNull() ? fallback : n.asText();
    }

    /**
     * The faults to mark on the time axis: the summary's {@code faults.timeline} entries
     * ({@code {"at_us": N, "kind": "...", "node": "..."}}) when the run recorded them, else the
     * planned ones from {@code settings.faults} ({@code {"at": "2s", "kill": "n2"}}).
     */
    public List<FaultMark> faults() {
        List<FaultMark> out = new ArrayList<>();
        JsonNode timeline = summary.path("faults").path("timeline");
        if (timeline.isArray() && !timeline.isEmpty()) {
            for (JsonNode f : timeline) {
                String label = f.path("kind").asText("fault") + (f.hasNonNull("node") ? " " + f.get("node").asText() : "");
                out.add(new FaultMark(f.path("at_us").asLong(), label));
            }
            return out;
        }
        JsonNode planned = summary.path("settings").path("faults");
        if (planned.isObject()) {
            planned = planned.path("schedule");     // {"schedule": [...], "swarm": {...}}: the swarm's draws have no time here
        }
        for (JsonNode f : planned) {
            Long at = parseDuration(f.path("at").asText(""));
            if (at == null) {
                continue;
            }
            StringBuilder label = new StringBuilder();
            for (Map.Entry<String, JsonNode> e : f.properties()) {
                if (!e.getKey().equals("at") && !e.getKey().equals("for")) {
                    String value = e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString();
                    label.append(label.length() == 0 ? "" : " ").append(e.getKey()).append(' ').append(value);
                }
            }
            out.add(new FaultMark(at, label.length() == 0 ? "fault" : label.toString()));
            Long lasts = parseDuration(f.path("for").asText(""));
            if (lasts != null && lasts > 0) {
                // A fault with "for" is undone then: a killed node restarts, a partition heals.
                String undo = f.has("kill") ? "restart " + f.get("kill").asText() : "end of " + label;
                out.add(new FaultMark(at + lasts, undo));
            }
        }
        out.sort(java.util.Comparator.comparingLong(FaultMark::atMicros));
        return out;
    }

    /** {@code 2s}, {@code 500ms}, {@code 1.5s}, {@code 250us}, {@code 10m}/{@code 10min}, {@code 1h} in microseconds; null if not one. */
    static Long parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        double value = Double.parseDouble(m.group(1));
        double unit;
        String u = m.group(2);
        if (u.equals("us")) {
            unit = 1;
        } else if (u.equals("ms")) {
            unit = 1_000;
        } else if (u.equals("s")) {
            unit = 1_000_000;
        } else if (u.equals("h")) {
            unit = 3_600_000_000.0;
        } else {
            unit = 60_000_000;
        }
        return Math.round(value * unit);
    }
}
