package dev.chatlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Measure chatlab itself.",
            "Each benchmark repeats its measurement (at least 3 times) and reports the median, next to a baseline"
                    + " measured in the same run where one applies."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab bench check",
            "  chatlab bench sim --runs 5",
            "  chatlab bench scenario scenarios/library/whatsapp-1m.yaml",
            "  chatlab bench throughput --connections 2000 --fanout 1 --rate 20000 \\",
            "      --seconds 15 --rounds 3",
            "  chatlab bench fuzz --nodes 3 --frames 1000000",
            "  chatlab bench fleet --devices 2000 --rate 500",
            "  chatlab bench cache --chats 500 --messages 100"
        },
        subcommands = {
            BenchCheckCommand.class,
            BenchSimCommand.class,
            BenchConnectionsCommand.class,
            BenchThroughputCommand.class,
            BenchScenarioCommand.class,
            BenchFuzzCommand.class,
            BenchFleetCommand.class,
            BenchCacheCommand.class
        })
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a benchmark: check, sim, scenario, connections, throughput, fuzz, fleet or cache");
    }
}
