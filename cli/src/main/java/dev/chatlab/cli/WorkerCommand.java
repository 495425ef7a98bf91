package dev.chatlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code chatlab worker --join HOST:PORT}: makes an experiment's runs for a compare listening there. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {
            "Make the runs of an experiment that another machine (or this one) runs with chatlab compare --listen PORT.",
            "",
            "Connects to HOST:PORT, then makes one run at a time as the experiment hands them out, in this folder"
                    + " (the scenario file comes with each run and is written at its path if it is missing here),"
                    + " and sends each run's folder back. Start as many workers as you like, on as many machines;"
                    + " one that is killed mid-run has its run handed to another. Ends when the experiment does.",
            "",
            "Exit 0 when the experiment ended, 2 when nothing listens at HOST:PORT within --connect-timeout."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab compare experiments/herd-policy.yaml --listen 4200",
            "  chatlab worker --join coordinator.example:4200"
        })
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--join", required = true, paramLabel = "HOST:PORT", description = "where chatlab compare --listen waits")
    String join;

    @Option(names = "--connect-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "how long to keep trying to connect (default: ${DEFAULT-VALUE})")
    int connectSeconds;

    @Override
    public Integer call() throws InterruptedException {
        int colon = join.lastIndexOf(':');
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(join.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65_535) {
            System.err.println("chatlab worker: --join expects HOST:PORT, such as 10.0.0.5:4200; got " + join);
            return Chatlab.BAD_INPUT;
        }
        try {
            RemoteWorker.serve(join.substring(0, colon), port, connectSeconds, System.err);
            return Chatlab.OK;
        } catch (IOException e) {
            System.err.println("chatlab worker: " + e.getMessage());
            return Chatlab.BAD_INPUT;
        }
    }
}
