package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure chatlab itself: checker throughput, simulator kernel events/s, real node connections and throughput.")
final class BenchCommand extends NotBuiltYet {
    BenchCommand() {
        super("'chatlab bench'");
    }
}
