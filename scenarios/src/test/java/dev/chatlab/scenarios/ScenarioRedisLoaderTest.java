package dev.chatlab.scenarios;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The real cluster's Redis keys: {@code store.cache} (the recent-message cache in front of a real
 * store, as a word or a mapping) and {@code presence}, checked where written.
 */
class ScenarioRedisLoaderTest {

    private static Scenario parse(String text) throws ScenarioException {
        return ScenarioLoader.parse("test.yaml", "test", text);
    }

    private static String failure(String text) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> parse(text));
        assertThat(e).as("expected %s to be refused", text).isNotNull();
        return e.getMessage();
    }

    @Test
    void shouldReadTheCacheAsAMappingOrAWord() throws ScenarioException {
        Scenario mapping = parse("store: {kind: postgres, cache: {kind: redis, recent: 50}}\n");
        assertThat(mapping.realStore()).isEqualTo(new Scenario.RealStore("postgres", 0, new Scenario.RealCache("redis", 50)));
        Scenario word = parse("store:\n  kind: cassandra\n  cache: redis\n");
        assertThat(word.realStore().cache()).isEqualTo(new Scenario.RealCache("redis", Scenario.RealCache.RECENT_DEFAULT));
        // In front of the topology's default store, which stays unnamed.
        Scenario noKind = parse("store: {cache: {kind: redis}}\n");
        assertThat(noKind.realStore().kind()).isNull();
        assertThat(noKind.realStore().cache().kind()).isEqualTo("redis");
        assertThat(mapping.settings().get("store").toString()).contains("cache={kind=redis, recent=50}");
        assertThat(parse("store: postgres\n").settings().get("store").toString()).doesNotContain("cache");
    }

    @Test
    void shouldTakeTheCacheFromTheCommandLine() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("test.yaml", "test", "store: {kind: postgres}\n",
                List.of("store.cache.kind=redis", "store.cache.recent=10"));
        assertThat(s.realStore().cache()).isEqualTo(new Scenario.RealCache("redis", 10));
    }

    @Test
    void shouldRefuseAnUnknownCacheOrABadSizeWhereWritten() {
        assertThat(failure("store:\n  kind: postgres\n  cache: {kind: memcached}\n"))
                .isEqualTo("test.yaml:3:17: store.cache.kind: expected one of redis, got 'memcached'");
        assertThat(failure("store:\n  cache: memcached\n"))
                .isEqualTo("test.yaml:2:10: store.cache: expected one of redis, got 'memcached'");
        assertThat(failure("store:\n  cache:\n    kind: redis\n    recent: 0\n"))
                .isEqualTo("test.yaml:4:13: store.cache.recent: expected from 1 to 100000 messages a chat, got 0");
        assertThat(failure("store: {cache: {kind: redis, size: 3}}\n")).contains("size");
    }

    @Test
    void shouldReadPresenceAndLeaveTheDefaultOutOfTheSettings() throws ScenarioException {
        assertThat(parse("presence: redis\n").realPresence()).isEqualTo("redis");
        assertThat(parse("presence: redis\n").settings()).containsEntry("presence", "redis");
        Scenario none = parse("duration: 20s\n");
        assertThat(none.realPresence()).isEqualTo(Scenario.PRESENCE_DEFAULT);
        assertThat(none.settings()).doesNotContainKey("presence");
        assertThat(ScenarioLoader.parse("test.yaml", "test", "duration: 20s\n", List.of("presence=redis")).realPresence())
                .isEqualTo("redis");
        assertThat(failure("duration: 20s\npresence: zookeeper\n"))
                .isEqualTo("test.yaml:2:11: presence: expected one of hazelcast, redis, got 'zookeeper'");
    }
}
