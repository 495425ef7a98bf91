package dev.chatlab.cli;

import dev.chatlab.reports.ReportException;
import dev.chatlab.reports.RunReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code chatlab report DIR}: re-renders a run folder's report; the work is {@link RunReport}'s. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {
            "Re-render a run folder's report.html and HdrHistogram interval logs from the files the run wrote.",
            "",
            "The inputs are summary.json, verdict.json and history.jsonl.gz; the outputs report.html, send-ack.hlog"
                    + " and send-deliver.hlog. A folder without a history (a coarse run) gets report.html from its"
                    + " summary alone. report.html is one self-contained page that opens offline."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the report was written",
            "2:the folder is missing, is not a run folder (no summary.json), or holds a file that cannot be read"
                    + " (the message names the file, the line and why)"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab report runs/smoke-1",
            "  chatlab report runs/server-kill-herd-7 --interval-ms 250"
        })
final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the run folder (as written by chatlab run)")
    Path dir;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "1000",
            description = "length of one interval of run time for the charts and the .hlog files (default: ${DEFAULT-VALUE})")
    long intervalMillis;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (intervalMillis <= 0) {
            err.println("chatlab report: --interval-ms must be positive, was " + intervalMillis);
            err.flush();
            return Chatlab.BAD_INPUT;
        }
        try {
            RunReport.Written written = RunReport.write(dir, intervalMillis * 1_000);
            for (Path file : written.files()) {
                out.println("wrote " + file);
            }
            out.flush();
            return Chatlab.OK;
        } catch (ReportException e) {
            err.println("chatlab report: " + e.getMessage());
            err.flush();
            return Chatlab.BAD_INPUT;
        }
    }
}
