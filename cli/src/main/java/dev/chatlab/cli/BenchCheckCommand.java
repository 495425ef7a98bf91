package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Checker throughput (events/s on one thread) and peak heap on a generated history.")
final class BenchCheckCommand extends NotBuiltYet {
    BenchCheckCommand() {
        super("'chatlab bench check'");
    }
}
