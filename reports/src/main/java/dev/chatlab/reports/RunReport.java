package dev.chatlab.reports;

import dev.chatlab.history.io.HistoryFormatException;
import dev.chatlab.stats.RunMetrics;
import dev.chatlab.stats.RunRecorder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the report files of a run folder: {@code report.html} and the HdrHistogram interval logs
 * {@code send-ack.hlog} and {@code send-deliver.hlog}.
 *
 * <pre>{@code
 * // After a run that kept its history (reads history.jsonl.gz, summary.json, verdict.json):
 * RunReport.write(runDir);
 * // After a run that measured online with a RunRecorder (no second pass over the history):
 * RunReport.write(runDir, recorder.finish());
 * }</pre>
 *
 * <p>A folder without a history (a coarse run) still gets {@code report.html}, drawn from the
 * summary's {@code latency_us} and {@code timeseries}; it gets no {@code .hlog} from here.
 */
public final class RunReport {

    public static final String HTML = "report.html";

    private RunReport() {
    }

    /** The files written. */
    public record Written(List<Path> files, RunMetrics metrics) {
    }

    /** Re-reads the run folder's history (if it has one) and writes the report files. */
    public static Written write(Path runDir) throws ReportException {
        return write(runDir, RunRecorder.DEFAULT_INTERVAL_MICROS);
    }

    /** As {@link #write(Path)}, with intervals of {@code intervalMicros} of run time. */
    public static Written write(Path runDir, long intervalMicros) throws ReportException {
        RunFolder run = RunFolder.open(runDir);
        RunMetrics metrics = null;
        Path history = run.history();
        if (history != null) {
            try {
                metrics = RunRecorder.read(history, intervalMicros);
            } catch (HistoryFormatException e) {
                throw new ReportException(history + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new ReportException(history + ": unreadable: " + e.getMessage(), e);
            }
        }
        return write(run, metrics);
    }

    /** Writes the report files from metrics measured online; {@code metrics} may be null (no history). */
    public static Written write(Path runDir, RunMetrics metrics) throws ReportException {
        return write(RunFolder.open(runDir), metrics);
    }

    private static Written write(RunFolder run, RunMetrics metrics) throws ReportException {
        List<Path> files = new ArrayList<>();
        try {
            if (metrics != null) {
                files.addAll(HlogFiles.write(metrics, run.dir()));
            }
            Path html = run.dir().resolve(HTML);
            Files.writeString(html, HtmlReport.render(run, metrics), StandardCharsets.UTF_8);
            files.add(html);
        } catch (IOException e) {
            throw new ReportException(run.dir() + ": could not write the report: " + e.getMessage(), e);
        }
        return new Written(files, metrics);
    }
}
