package dev.chatlab.cli;

import picocli.CommandLine.Command;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start, stop or inspect a real chat cluster of Vert.x nodes on this machine.")
final class ClusterCommand extends NotBuiltYet {
    ClusterCommand() {
        super("'chatlab cluster'");
    }
}
