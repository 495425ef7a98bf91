package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "connections", mixinStandardHelpOptions = true,
        description = "Idle WebSockets one real node holds, and its memory per connection.")
final class BenchConnectionsCommand extends NotBuiltYet {
    BenchConnectionsCommand() {
        super("'chatlab bench connections'");
    }
}
