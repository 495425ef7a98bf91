package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Re-render the HTML report of a run folder from its summary and histograms.")
final class ReportCommand extends NotBuiltYet {
    ReportCommand() {
        super("'chatlab report'");
    }
}
