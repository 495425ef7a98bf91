package dev.chatlab.reference.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A small run of the cache's read benchmark: every page through the cache is a hit, none through PostgreSQL alone. */
class CacheReadBenchTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void shouldReadEveryPageFromRedisThroughTheCacheAndNoneWithout() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, Object> medians = CacheReadBench.run(dir, 5, 30, 10, 300, 5, 4, 1,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        Map<String, Object> plain = (Map<String, Object>) medians.get("postgres");
        Map<String, Object> cached = (Map<String, Object>) medians.get("postgres+redis");
        assertThat(plain.get("cache_hits")).isEqualTo(0L);
        assertThat(cached.get("cache_hits")).isEqualTo(300L);
        assertThat((Long) cached.get("reads_per_second")).isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("round 1 postgres+redis:");
    }
}
