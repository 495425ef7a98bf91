package dev.chatlab.cli;

import dev.chatlab.reference.bench.ConnectionsBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code chatlab bench connections}: idle authenticated WebSockets one real node holds, and its memory per connection. */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = {
            "Idle WebSockets one real node holds, and its memory per connection.",
            "",
            "Starts one chat node process (in-memory store), opens N WebSockets that each say",
            "hello with a valid token (spread over 127.0.0.1-8), and compares the node's RSS",
            "and its heap after a full GC with the idle node's. ROUNDS rounds, median reported."
        })
final class BenchConnectionsCommand implements Callable<Integer> {

    @Option(names = "--connections", paramLabel = "N", defaultValue = "2000",
            description = "idle sessions to open (default: ${DEFAULT-VALUE}; at most about 19,000 per process)")
    int connections;

    @Option(names = "--rounds", defaultValue = "3", description = "measurements, median reported (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--dir", defaultValue = "runs/bench-connections", description = "the node's folder (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (connections < 1 || connections > 19_000 || rounds < 1) {
            System.err.println("chatlab bench connections: --connections must be 1..19000 and --rounds at least 1");
            return Chatlab.BAD_INPUT;
        }
        ConnectionsBench.run(dir, connections, rounds, System.out);
        return Chatlab.OK;
    }
}
