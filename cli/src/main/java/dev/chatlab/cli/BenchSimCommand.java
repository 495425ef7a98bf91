package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Simulator kernel events/s on PHOLD and M/M/1, and the wall time of a large scenario.")
final class BenchSimCommand extends NotBuiltYet {
    BenchSimCommand() {
        super("'chatlab bench sim'");
    }
}
