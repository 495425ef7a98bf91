package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Judge a recorded history (JSON Lines, optionally gzipped) against the ordering and receipt invariants.")
final class CheckCommand extends NotBuiltYet {
    CheckCommand() {
        super("'chatlab check'");
    }
}
