package dev.chatlab.core.client;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device that lost its connection waits out a backoff before it tries again; the user opening
 * the app (going online) cuts the wait short. At a quiesce every device is told to go online: one
 * still in a long backoff would otherwise miss the end of the run (seeds 113, 120, 166, 175 and 191
 * of chaos-swarm.yaml left 1 to 8 devices offline after the quiesce).
 */
class ComingBackOnlineTest {

    private final ClientDevice phone = new ClientDevice("bob", "phone", ClientConfig.defaults(), new SplittableRandom(1));

    private static boolean connects(List<ClientEffect> effects) {
        return effects.stream().anyMatch(e -> e instanceof ClientEffect.Connect);
    }

    @Test
    void shouldConnectAtOnceWhenTheUserGoesOnlineDuringABackoff() {
        assertThat(connects(phone.onUserAction(new UserAction.GoOnline(), 0))).isTrue();
        List<ClientEffect> lost = phone.onDisconnected(1_000, "connection refused");
        String reconnectTimer = lost.stream().filter(e -> e instanceof ClientEffect.SetTimer)
                .map(e -> ((ClientEffect.SetTimer) e).timer()).findFirst().orElseThrow();

        assertThat(connects(phone.onUserAction(new UserAction.GoOnline(), 2_000))).isTrue();
        // The backoff's own timer no longer opens a second connection beside it.
        assertThat(connects(phone.onTimer(reconnectTimer, 5_000_000))).isFalse();
    }

    @Test
    void shouldNotOpenASecondConnectionWhileOneIsBeingOpened() {
        phone.onUserAction(new UserAction.GoOnline(), 0);

        assertThat(connects(phone.onUserAction(new UserAction.GoOnline(), 1_000))).isFalse();
    }
}
