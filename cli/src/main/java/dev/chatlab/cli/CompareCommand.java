package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run one scenario across strategy or store choices (e.g. --stores a,b) with the same seed and compare the reports.")
final class CompareCommand extends NotBuiltYet {
    CompareCommand() {
        super("'chatlab compare'");
    }
}
