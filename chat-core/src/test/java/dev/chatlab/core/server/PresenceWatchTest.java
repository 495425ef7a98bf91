package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Presence is for people one shares a chat with: watching anyone else is refused. */
class PresenceWatchTest {

    @Test
    void shouldLetAUserWatchOnlyUsersWhoShareAChatWithThem() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.welcomed("alice");
        long mallory = n.welcomed("mallory");
        n.hello("bob", "phone");

        n.frame(alice, new Frame.Watch(List.of("bob")));
        n.frame(mallory, new Frame.Watch(List.of("bob", "mallory")));

        assertThat(n.take(alice)).containsExactly(new Frame.PresenceNotice("bob", PresenceState.ONLINE, -1));
        List<Frame> answers = n.take(mallory);
        assertThat(answers).hasSize(2).contains(new Frame.PresenceNotice("mallory", PresenceState.ONLINE, -1))
                .anySatisfy(f -> assertThat(f).isInstanceOfSatisfying(Frame.Error.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN)));
    }

    @Test
    void shouldLetAUserWatchSomeoneInAChatTheyJoinedAfterTheirWelcome() {
        OneNode n = new OneNode();
        long alice = n.welcomed("alice");
        n.hello("bob", "phone");
        n.frame(alice, new Frame.Membership("d1", "bob", dev.chatlab.core.history.HistoryEvent.MemberOp.ADD));
        n.take(alice);

        n.frame(alice, new Frame.Watch(List.of("bob")));

        assertThat(n.take(alice)).containsExactly(new Frame.PresenceNotice("bob", PresenceState.ONLINE, -1));
    }
}
