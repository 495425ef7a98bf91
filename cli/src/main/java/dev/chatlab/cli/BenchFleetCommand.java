package dev.chatlab.cli;

import dev.chatlab.reference.bench.FleetBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code chatlab bench fleet}: what the recording fleet of a real run costs, per device and per message. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {
            "Measure the recording fleet that drives real runs: its heap per idle device and its CPU per message.",
            "",
            "Starts one chat node (embedded PostgreSQL) and, in this process, the fleet a real run uses: DEVICES"
                    + " devices (the protocol's client over WebSockets, every event written to a gzipped history) in"
                    + " chats of GROUP. Once every device is welcomed and idle, the heap held per device is measured"
                    + " against the heap with none (after full collections); then the devices send RATE messages a"
                    + " second for SECONDS (open loop), and this process's CPU over the round, divided by the messages,"
                    + " is the fleet's CPU per message (its event loop, the history writer, the collector). Repeated"
                    + " for --rounds rounds; the median is reported, with the node's CPU per message beside it.",
            "",
            "Exit 0 when every message was acknowledged, 1 otherwise, 2 on bad input."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab bench fleet",
            "  chatlab bench fleet --devices 5000 --group 4 --rate 500 \\",
            "      --seconds 20 --rounds 3"
        })
final class BenchFleetCommand implements Callable<Integer> {

    @Option(names = "--devices", defaultValue = "2000", description = "devices, one per user (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--group", defaultValue = "4", description = "members of each chat (default: ${DEFAULT-VALUE})")
    int group;

    @Option(names = "--rate", paramLabel = "MSG_PER_S", defaultValue = "500",
            description = "messages a second the devices send (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--seconds", defaultValue = "20", description = "length of each round (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "measured rounds; the median is reported (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--dir", defaultValue = "runs/bench-fleet", description = "the node's folder and the history (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (devices < group || group < 2 || rate <= 0 || seconds < 1 || rounds < 1) {
            System.err.println("chatlab bench fleet: need --devices >= --group >= 2, --rate > 0, --seconds >= 1 and --rounds >= 1;"
                    + " got --devices " + devices + " --group " + group + " --rate " + rate + " --seconds " + seconds
                    + " --rounds " + rounds);
            return Chatlab.BAD_INPUT;
        }
        FleetBench.Result r = FleetBench.run(dir, devices, group, rate, seconds, rounds, System.out);
        System.out.println(r.toMap());
        if (r.acked() < r.messages()) {
            System.out.println("FAILED: " + (r.messages() - r.acked()) + " of " + r.messages() + " messages were not acknowledged");
            return Chatlab.VIOLATED;
        }
        return Chatlab.OK;
    }
}
