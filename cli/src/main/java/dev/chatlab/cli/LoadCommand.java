package dev.chatlab.cli;

import picocli.CommandLine.Command;

/** A placeholder until a load driver for a running cluster lands; it must not read as a working command. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {
            "Not yet available: exits 2. Planned: drive a running cluster with generated load.",
            "",
            "Until then, 'chatlab run FILE --engine real' drives a cluster of its own with a recording fleet,"
                    + " and 'chatlab bench throughput' measures one node under an open-loop rate."
        })
final class LoadCommand extends NotBuiltYet {
    LoadCommand() {
        super("'chatlab load'", "use 'chatlab run FILE --engine real' or 'chatlab bench throughput'");
    }
}
