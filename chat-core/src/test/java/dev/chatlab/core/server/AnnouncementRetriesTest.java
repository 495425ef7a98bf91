package dev.chatlab.core.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnnouncementRetriesTest {

    private final AnnouncementRetries retries = new AnnouncementRetries();

    @Test
    void shouldTakeAnAnnouncementForLostOnlyWhenTheNodeAnsweredOneSentAPeriodLater() {
        retries.answered("n2", 1_000_000, 1_200_000);
        // Sent before the answered copy, but less than a period before: it may just be on its way.
        assertThat(retries.lost("n2", 600_000)).isFalse();
        assertThat(retries.lost("n2", 500_000)).isTrue();
        // What another node answered says nothing about this one's.
        assertThat(retries.lost("n3", 0)).isFalse();
        // An older answer arriving late does not move the newest back.
        retries.answered("n2", 100_000, 1_300_000);
        assertThat(retries.lost("n2", 500_000)).isTrue();
    }

    @Test
    void shouldProbeASilentNodeEveryHalfSecondThenTwiceAsLongUpToTwoSeconds() {
        // Nothing heard from n2 yet: its oldest announcement is due once it has waited half a second.
        assertThat(retries.probeDue("n2", 0, 499_999)).isFalse();
        assertThat(retries.probeDue("n2", 0, 500_000)).isTrue();
        retries.probed("n2");
        assertThat(retries.probeDue("n2", 500_000, 1_499_999)).isFalse();
        assertThat(retries.probeDue("n2", 500_000, 1_500_000)).isTrue();
        retries.probed("n2");
        retries.probed("n2");
        retries.probed("n2");
        assertThat(retries.probeDue("n2", 0, 1_999_999)).isFalse();
        assertThat(retries.probeDue("n2", 0, 2_000_000)).isTrue();
    }

    @Test
    void shouldNotProbeANodeThatKeepsAnswering() {
        retries.probed("n2");
        retries.answered("n2", 2_000_000, 2_900_000);
        // Answered 0.1 s ago: slow, not silent, however old the announcement it owes.
        assertThat(retries.probeDue("n2", 0, 3_000_000)).isFalse();
        // Silent for half a second again: probed at the first interval, the backoff reset by the answer.
        assertThat(retries.probeDue("n2", 0, 3_400_000)).isTrue();
    }

    @Test
    void shouldForgetANodeThatLeftTheView() {
        retries.answered("n2", 1_000_000, 1_000_000);
        retries.retain(List.of("n1", "n3"));
        assertThat(retries.lost("n2", 0)).isFalse();
    }
}
