package dev.chatlab.cli;

import dev.chatlab.reference.bench.CacheReadBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chatlab bench cache}: sync pages read from PostgreSQL alone and through the Redis recent-message cache. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {
            "Sync pages read from PostgreSQL alone and through the Redis recent-message cache.",
            "",
            "Starts an embedded PostgreSQL and a redis-server, writes CHATS chats of MESSAGES",
            "messages through the cache, then reads READS pages of PAGE messages at random",
            "inside each chat's last RECENT, from each store in turn. A warm-up, then ROUNDS",
            "rounds; the round with the median p50 is reported for each store."
        })
final class BenchCacheCommand implements Callable<Integer> {

    @Option(names = "--chats", defaultValue = "500", description = "chats (default: ${DEFAULT-VALUE})")
    int chats;

    @Option(names = "--messages", defaultValue = "100", description = "messages a chat (default: ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--recent", defaultValue = "200", description = "messages a chat the cache keeps (default: ${DEFAULT-VALUE})")
    int recent;

    @Option(names = "--reads", defaultValue = "20000", description = "pages read a round from each store (default: ${DEFAULT-VALUE})")
    int reads;

    @Option(names = "--page", defaultValue = "20", description = "messages a page (default: ${DEFAULT-VALUE})")
    int page;

    @Option(names = "--in-flight", defaultValue = "32", description = "reads at a time (default: ${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--rounds", defaultValue = "3", description = "measured rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--dir", defaultValue = "runs/bench-cache", description = "the servers' folder (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (chats < 1 || messages < 1 || recent < 1 || reads < 1 || page < 1 || page > Math.min(recent, messages)
                || inFlight < 1 || rounds < 1) {
            System.err.println("chatlab bench cache: every count must be at least 1, and --page at most --recent and --messages");
            return Chatlab.BAD_INPUT;
        }
        Map<String, Object> medians = CacheReadBench.run(dir, chats, messages, recent, reads, page, inFlight, rounds, System.out);
        medians.forEach((store, round) -> System.out.println("median round, " + store + ": " + round));
        return Chatlab.OK;
    }
}
