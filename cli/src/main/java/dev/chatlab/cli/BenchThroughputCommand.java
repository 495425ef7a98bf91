package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = "Deliveries per second a real node sustains at fan-out 1 and 10, open loop.")
final class BenchThroughputCommand extends NotBuiltYet {
    BenchThroughputCommand() {
        super("'chatlab bench throughput'");
    }
}
