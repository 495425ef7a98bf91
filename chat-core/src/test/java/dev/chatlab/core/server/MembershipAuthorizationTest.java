package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.MemberState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what to a chat: the first {@code add} creates it (a group when the actor adds
 * themself, a 1:1 chat when they add someone else), a group's creator adds and removes others,
 * anyone leaves a group, nobody joins or leaves a 1:1 chat, and a non-member can neither read,
 * change nor report on a chat.
 */
class MembershipAuthorizationTest {

    private static Frame add(String chat, String user) {
        return new Frame.Membership(chat, user, MemberOp.ADD);
    }

    private static Frame remove(String chat, String user) {
        return new Frame.Membership(chat, user, MemberOp.REMOVE);
    }

    private static List<ErrorCode> errors(List<Frame> frames) {
        return frames.stream().filter(f -> f instanceof Frame.Error).map(f -> ((Frame.Error) f).code()).toList();
    }

    @Test
    void shouldRefuseAnOutsiderWhoAddsThemselfReadsAddsOrRemoves() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.welcomed("alice");
        long bob = n.welcomed("bob");
        long mallory = n.welcomed("mallory");
        long carol = n.welcomed("carol");

        n.frame(mallory, add("c1", "mallory"));
        n.frame(mallory, new Frame.Sync("c1", 0, 100));
        n.frame(mallory, add("c1", "carol"));
        n.frame(mallory, remove("c1", "bob"));

        assertThat(errors(n.take(mallory))).containsExactly(ErrorCode.FORBIDDEN, ErrorCode.NOT_A_MEMBER,
                ErrorCode.FORBIDDEN, ErrorCode.FORBIDDEN);
        assertThat(n.take(carol)).isEmpty();
        assertThat(n.take(bob)).isEmpty();
        n.frame(alice, new Frame.Send("c1", "m1", "hi"));
        assertThat(n.take(bob)).hasSize(1);
        assertThat(n.take(mallory)).isEmpty();
    }

    @Test
    void shouldLetTheCreatorOfAGroupAddAndRemoveAndAnyMemberLeave() {
        OneNode n = new OneNode();
        long alice = n.welcomed("alice");
        long bob = n.welcomed("bob");
        long carol = n.welcomed("carol");

        n.frame(alice, add("g", "alice"));
        n.frame(alice, add("g", "bob"));
        n.frame(alice, add("g", "carol"));
        assertThat(n.take(alice)).containsExactly(new Frame.Membership("g", "alice", MemberOp.ADD));
        assertThat(n.take(bob)).containsExactly(new Frame.Membership("g", "bob", MemberOp.ADD));
        n.take(carol);

        n.frame(bob, add("g", "dave"));
        n.frame(bob, remove("g", "carol"));
        n.frame(bob, remove("g", "alice"));
        assertThat(errors(n.take(bob))).containsExactly(ErrorCode.FORBIDDEN, ErrorCode.FORBIDDEN, ErrorCode.FORBIDDEN);

        n.frame(carol, remove("g", "carol"));
        assertThat(n.take(carol)).containsExactly(new Frame.Membership("g", "carol", MemberOp.REMOVE));
        n.frame(carol, new Frame.Left("g"));
        n.frame(alice, remove("g", "bob"));
        assertThat(n.take(bob)).containsExactly(new Frame.Membership("g", "bob", MemberOp.REMOVE));
        n.frame(bob, new Frame.Left("g"));

        assertThat(n.store.membersOf("g")).containsExactlyEntriesOf(java.util.Map.of("alice", MemberState.ADMIN));
    }

    @Test
    void shouldMakeAFirstAddOfAnotherUserAOneToOneChatWithFixedMembers() {
        OneNode n = new OneNode();
        long alice = n.welcomed("alice");
        long bob = n.welcomed("bob");

        n.frame(alice, add("d", "bob"));
        assertThat(n.take(alice)).containsExactly(new Frame.Membership("d", "alice", MemberOp.ADD));
        assertThat(n.take(bob)).containsExactly(new Frame.Membership("d", "bob", MemberOp.ADD));

        n.frame(alice, add("d", "carol"));
        n.frame(alice, remove("d", "bob"));
        n.frame(bob, remove("d", "bob"));
        assertThat(errors(n.take(alice))).containsExactly(ErrorCode.FORBIDDEN, ErrorCode.FORBIDDEN);
        assertThat(errors(n.take(bob))).containsExactly(ErrorCode.FORBIDDEN);
        n.frame(bob, new Frame.Send("d", "b1", "hello alice"));
        assertThat(n.take(alice)).hasSize(1);
        assertThat(n.store.membersOf("d")).containsOnlyKeys("alice", "bob");
    }

    @Test
    void shouldCreateNoStateForRequestsAboutAChatThatDoesNotExist() {
        OneNode n = new OneNode();
        long mallory = n.welcomed("mallory");

        for (int i = 0; i < 100; i++) {
            n.frame(mallory, new Frame.Sync("made-up-" + i, 0, 10));
        }
        n.frame(mallory, new Frame.Send("made-up-x", "m1", "hi"));
        n.frame(mallory, remove("made-up-y", "bob"));

        List<Frame> got = n.take(mallory);
        assertThat(errors(got)).hasSize(101).containsOnly(ErrorCode.NOT_A_MEMBER, ErrorCode.FORBIDDEN);
        assertThat(got).contains(new Frame.Fail("made-up-x", "m1", ErrorCode.NOT_A_MEMBER, "mallory is not a member of made-up-x"));
        assertThat(n.node.ownedChatCount()).isZero();
        assertThat(n.store.chatCount()).isZero();
    }

    @Test
    void shouldAnswerReportsFromANonMemberWithAnError() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.welcomed("alice");
        long bob = n.welcomed("bob");
        long mallory = n.welcomed("mallory");
        n.frame(alice, new Frame.Send("c1", "m1", "hi"));
        n.take(bob);

        n.frame(mallory, new Frame.Read("c1", 1));
        n.frame(mallory, new Frame.Delivered("c1", 1));
        n.frame(mallory, new Frame.Typing("c1"));
        n.frame(mallory, new Frame.Left("c1"));

        assertThat(errors(n.take(mallory))).containsExactly(ErrorCode.NOT_A_MEMBER, ErrorCode.NOT_A_MEMBER,
                ErrorCode.NOT_A_MEMBER, ErrorCode.FORBIDDEN);
        assertThat(n.take(alice)).noneMatch(f -> f instanceof Frame.Receipt || f instanceof Frame.TypingNotice);
    }

    /** A receipt ahead of the chat's newest message would show every future message as read: refused. */
    @Test
    void shouldRefuseAWatermarkBeyondTheChatsNewestMessage() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.hello("alice", "phone");
        long bob = n.hello("bob", "phone");
        n.frame(alice, new Frame.Send("c1", "m1", "hi"));
        n.take(alice);
        n.take(bob);

        n.frame(bob, new Frame.Read("c1", Long.MAX_VALUE));
        n.frame(bob, new Frame.Delivered("c1", 2));
        assertThat(errors(n.take(bob))).containsExactly(ErrorCode.BAD_FIELD, ErrorCode.BAD_FIELD);
        assertThat(n.take(alice)).isEmpty();

        n.frame(bob, new Frame.Read("c1", 1));
        assertThat(n.take(alice)).containsExactly(new Frame.Receipt("c1", "bob", ReceiptState.READ, 1));
    }
}
