package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Drive a running cluster with Gatling load (Java DSL simulations).")
final class LoadCommand extends NotBuiltYet {
    LoadCommand() {
        super("'chatlab load'");
    }
}
