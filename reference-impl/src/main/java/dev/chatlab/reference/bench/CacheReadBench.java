package dev.chatlab.reference.bench;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.stores.CachedChatStore;
import dev.chatlab.stores.ChatStore;
import dev.chatlab.stores.EmbeddedPostgresServer;
import dev.chatlab.stores.PostgresChatStore;
import dev.chatlab.stores.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the recent-message cache saves a read: sync pages of {@code page} messages inside each
 * chat's last {@code recent}, read from PostgreSQL alone and through {@link CachedChatStore}
 * (Redis), alternately in each round, {@code inFlight} reads at a time. Per store: reads per
 * second, p50/p99 latency, and the CPU a read costs PostgreSQL's processes, Redis and this JVM.
 *
 * <pre>{@code
 * Map<String, Object> r = CacheReadBench.run(Path.of("runs/bench-cache"), 500, 100, 200, 20_000, 20, 32, 3, System.out);
 * }</pre>
 */
public final class CacheReadBench {

    private CacheReadBench() {
    }

    public static Map<String, Object> run(Path dir, int chats, int messages, int recent, int reads, int page, int inFlight,
                                          int rounds, PrintStream out) throws Exception {
        if (page > recent || page > messages) {
            throw new IllegalArgumentException("a page of " + page + " must fit in the window (" + recent + ") and the chat ("
                    + messages + ")");
        }
        Vertx vertx = Vertx.vertx();
        ThroughputBench.deleteTree(dir.resolve("pg"));
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"), 0);
             RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            PostgresChatStore plain = PostgresChatStore.connect(vertx, pg.url(), 8);
            plain.createSchema().await();
            CachedChatStore cached = CachedChatStore.wrap(vertx, PostgresChatStore.connect(vertx, pg.url(), 8), redis.url(), recent);
            long seeding = System.nanoTime();
            for (int c = 0; c < chats; c++) {
                List<StoreOp.NewMessage> batch = new ArrayList<>();
                for (int seq = 1; seq <= messages; seq++) {
                    batch.add(new StoreOp.NewMessage(seq, "u" + (seq % 4), "d1", "m" + seq, "message " + seq + " of chat " + c));
                    if (batch.size() == 50 || seq == messages) {
                        cached.apply(new StoreOp.Append("k" + c, 0, batch)).await();
                        batch = new ArrayList<>();
                    }
                }
            }
            out.printf(Locale.ROOT, "%d chats of %d messages written through the cache in %.1f s; sync pages of %d inside the last %d,"
                    + " %d in flight%n", chats, messages, (System.nanoTime() - seeding) / 1e9, page, Math.min(recent, messages), inFlight);
            long pgPid = pg.pid();
            Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
            for (int r = 0; r <= rounds; r++) {
                for (Map.Entry<String, ChatStore> store : List.of(Map.entry("postgres", (ChatStore) plain),
                        Map.entry("postgres+redis", (ChatStore) cached))) {
                    long hitsBefore = cached.hits();
                    long pgBefore = ProcessCpu.treeNanos(pgPid);
                    long redisBefore = ProcessCpu.treeNanos(redis.pid());
                    long selfBefore = ProcessCpu.nanos(ProcessHandle.current().pid());
                    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                    long started = System.nanoTime();
                    readAll(vertx, store.getValue(), chats, messages, Math.min(recent, messages), page, reads, inFlight, r, latency).await();
                    double seconds = (System.nanoTime() - started) / 1e9;
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("store", store.getKey());
                    result.put("reads_per_second", Math.round(reads / seconds));
                    result.put("p50_us", latency.getValueAtPercentile(50) / 1000.0);
                    result.put("p99_us", latency.getValueAtPercentile(99) / 1000.0);
                    result.put("postgres_cpu_us_per_read", (ProcessCpu.treeNanos(pgPid) - pgBefore) / 1000.0 / reads);
                    result.put("redis_cpu_us_per_read", (ProcessCpu.treeNanos(redis.pid()) - redisBefore) / 1000.0 / reads);
                    result.put("bench_cpu_us_per_read", (ProcessCpu.nanos(ProcessHandle.current().pid()) - selfBefore) / 1000.0 / reads);
                    result.put("cache_hits", cached.hits() - hitsBefore);
                    out.printf(Locale.ROOT, "%s %s: %d reads/s, p50 %.0f us, p99 %.0f us; CPU a read: PostgreSQL %.0f us, Redis %.0f us,"
                                    + " this JVM %.0f us; %d cache hits%n", r == 0 ? "warm-up" : "round " + r, store.getKey(),
                            result.get("reads_per_second"), result.get("p50_us"), result.get("p99_us"),
                            result.get("postgres_cpu_us_per_read"), result.get("redis_cpu_us_per_read"),
                            result.get("bench_cpu_us_per_read"), result.get("cache_hits"));
                    if (r > 0) {
                        results.computeIfAbsent(store.getKey(), k -> new ArrayList<>()).add(result);
                    }
                }
            }
            cached.close();
            plain.close();
            Map<String, Object> medians = new LinkedHashMap<>();
            results.forEach((name, list) -> {
                List<Map<String, Object>> sorted = new ArrayList<>(list);
                sorted.sort(Comparator.comparingDouble(m -> (Double) m.get("p50_us")));
                medians.put(name, sorted.get(sorted.size() / 2));
            });
            return medians;
        } finally {
            vertx.close().await();
        }
    }

    /** {@code reads} sync pages at random chats and offsets inside the window, {@code inFlight} at a time. */
    private static Future<Void> readAll(Vertx vertx, ChatStore store, int chats, int messages, int window, int page, int reads,
                                        int inFlight, int round, Histogram latency) {
        Promise<Void> done = Promise.promise();
        SplittableRandom random = new SplittableRandom(round);
        int[] issued = {0};
        int[] finished = {0};
        Runnable[] next = new Runnable[1];
        // Completions may come on the store clients' own event loops: the counters, the random and the histogram are shared.
        next[0] = () -> {
            String chat;
            long after;
            synchronized (latency) {
                if (issued[0] >= reads) {
                    return;
                }
                issued[0]++;
                chat = "k" + random.nextInt(chats);
                after = messages - page - random.nextInt(window - page + 1);
            }
            long start = System.nanoTime();
            store.apply(new StoreOp.ReadRange(chat, after, page)).onComplete(ar -> {
                boolean last;
                synchronized (latency) {
                    latency.recordValue(Math.min(System.nanoTime() - start, latency.getHighestTrackableValue()));
                    last = ++finished[0] == reads;
                }
                if (ar.failed() || ((StoreResult.Range) ar.result()).messages().size() != page) {
                    done.tryFail(ar.failed() ? ar.cause() : new IllegalStateException("a page of " + chat + " after " + after
                            + " came back short"));
                } else if (last) {
                    done.tryComplete();
                } else {
                    next[0].run();
                }
            });
        };
        vertx.runOnContext(v -> {
            for (int i = 0; i < inFlight; i++) {
                next[0].run();
            }
        });
        return done.future();
    }
}
