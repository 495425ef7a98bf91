package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a scenario file in the simulator (--engine sim) or on a real cluster (--engine real) and write a checked report.")
final class RunCommand extends NotBuiltYet {
    RunCommand() {
        super("'chatlab run'");
    }
}
