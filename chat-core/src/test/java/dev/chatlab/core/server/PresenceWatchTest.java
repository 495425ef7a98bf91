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

    @Test
    void shouldLetAUserWatchOnlyUsersWhoShareAChatWhenChatsArePinnedToHomesOnOtherNodes() {
        PinnedNodes c = new PinnedNodes("n1", "n2", "n3");
        // alice and bob share a chat homed on n3; mallory has a chat of her own on n3 too.
        String shared = c.chatHomedOn("n3", "s");
        String own = c.chatHomedOn("n3", "m");
        c.seedChat(shared, List.of("alice", "bob"));
        c.seedChat(own, List.of("mallory", "carol"));
        long alice = c.welcomed("n1", "alice");
        long mallory = c.welcomed("n1", "mallory");
        c.welcomed("n2", "bob");

        c.frame(alice, new Frame.Watch(List.of("bob")));
        c.frame(mallory, new Frame.Watch(List.of("bob")));

        assertThat(c.take(alice)).containsExactly(new Frame.PresenceNotice("bob", PresenceState.ONLINE, -1));
        assertThat(c.take(mallory)).singleElement().isInstanceOfSatisfying(Frame.Error.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }
}
