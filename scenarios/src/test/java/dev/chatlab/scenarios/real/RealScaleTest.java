package dev.chatlab.scenarios.real;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RealScaleTest {

    @Test
    void shouldScaleThePopulationWideRatesAndKeepEveryOtherWorkloadSetting() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("t.yaml", "t", """
                duration: 30s
                population: {users: 4000, devices_per_user: 1, chats: 1000, group_size: 4}
                workload:
                  messages_per_second: 2000
                  churn_per_second: 40
                  offline_time: 3s
                  watch_presence: true
                  think_time: 200ms
                  warmup: 8s
                """);

        RealScale scale = RealScale.fit(s, 1_000);

        assertThat(scale.factor()).isEqualTo(0.25);
        Scenario.Workload w = scale.scenario().workload();
        assertThat(w.messagesPerSecond()).isEqualTo(500);
        assertThat(w.churnPerSecond()).isEqualTo(10);
        assertThat(w.offlineMicros()).isEqualTo(3_000_000);
        assertThat(w.watchPresence()).isTrue();
        assertThat(w.thinkTimeMicros()).isEqualTo(200_000);
        assertThat(w.warmupMicros()).isEqualTo(8_000_000);
    }
}
