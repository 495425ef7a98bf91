package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.store.MemberState;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The membership role on its own, without a node: who may change a chat's members, and the role
 * a new member gets (MembershipAuthorizationTest shows the same rules through the node's frames).
 */
class ChatMembersTest {

    private static PeerMessage.MembershipRequest byDevice(String actor, String user, MemberOp op) {
        return new PeerMessage.MembershipRequest("c1", actor, user, op, "phone", "n1", 0);
    }

    /** A request a new owner replays from the store's ADDING or REMOVING state: no device asked. */
    private static PeerMessage.MembershipRequest inherited(String user) {
        return new PeerMessage.MembershipRequest("c1", user, user, MemberOp.ADD, null, null, 0);
    }

    private static ChatMembers chat(Map<String, MemberState> members) {
        ChatMembers chat = new ChatMembers("c1");
        chat.load(members);
        return chat;
    }

    @Test
    void shouldLetOnlyAnAddCreateAChatThatDoesNotExist() {
        ChatMembers none = chat(Map.of());

        assertThat(none.refusalOf(byDevice("alice", "alice", MemberOp.ADD), false)).isNull();
        assertThat(none.refusalOf(byDevice("alice", "bob", MemberOp.REMOVE), false))
                .isEqualTo("alice is not a member of c1");
    }

    @Test
    void shouldLetAnAdminAddOthersAndAMemberOnlyLeave() {
        ChatMembers group = chat(Map.of("alice", MemberState.ADMIN, "bob", MemberState.MEMBER));

        assertThat(group.refusalOf(byDevice("alice", "carol", MemberOp.ADD), true)).isNull();
        assertThat(group.refusalOf(byDevice("bob", "bob", MemberOp.REMOVE), true)).isNull();
        assertThat(group.refusalOf(byDevice("bob", "carol", MemberOp.ADD), true))
                .isEqualTo("only an admin of c1 adds or removes others");
        assertThat(group.refusalOf(byDevice("bob", "alice", MemberOp.REMOVE), true))
                .isEqualTo("only an admin of c1 adds or removes others");
    }

    @Test
    void shouldRefuseAnActorWhoseAdditionIsNotSettled() {
        ChatMembers group = chat(Map.of("alice", MemberState.ADMIN, "bob", MemberState.ADDING));

        assertThat(group.isMember("bob")).isFalse();
        assertThat(group.count()).isEqualTo(1);
        assertThat(group.refusalOf(byDevice("bob", "bob", MemberOp.REMOVE), true))
                .isEqualTo("bob is not a member of c1");
    }

    @Test
    void shouldNeverChangeAOneToOneChat() {
        ChatMembers pair = chat(Map.of("alice", MemberState.FIXED, "bob", MemberState.FIXED));

        assertThat(pair.refusalOf(byDevice("alice", "alice", MemberOp.REMOVE), true))
                .isEqualTo("c1 is a 1:1 chat: its two members are fixed");
        assertThat(pair.refusalOf(byDevice("alice", "carol", MemberOp.ADD), true))
                .isEqualTo("c1 is a 1:1 chat: its two members are fixed");
    }

    @Test
    void shouldMakeTheCreatorAdminAndLaterAdditionsMembers() {
        assertThat(chat(Map.of()).settledStateOfNew(byDevice("alice", "alice", MemberOp.ADD), false))
                .isEqualTo(MemberState.ADMIN);
        assertThat(chat(Map.of()).settledStateOfNew(byDevice("alice", "alice", MemberOp.ADD), true))
                .as("a chat with messages had a creator already")
                .isEqualTo(MemberState.MEMBER);
        assertThat(chat(Map.of("alice", MemberState.ADMIN)).settledStateOfNew(byDevice("alice", "bob", MemberOp.ADD), false))
                .isEqualTo(MemberState.MEMBER);
    }

    @Test
    void shouldReadAnInheritedCreationFromWhatTheStoreHolds() {
        assertThat(chat(Map.of("alice", MemberState.ADDING)).settledStateOfNew(inherited("alice"), false))
                .as("one addition and no settled member: a group's creation")
                .isEqualTo(MemberState.ADMIN);
        assertThat(chat(Map.of("alice", MemberState.ADDING, "bob", MemberState.ADDING)).settledStateOfNew(inherited("alice"), false))
                .as("two additions at once: a 1:1 chat's creation")
                .isEqualTo(MemberState.FIXED);
        assertThat(chat(Map.of("alice", MemberState.FIXED, "bob", MemberState.ADDING)).settledStateOfNew(inherited("bob"), false))
                .isEqualTo(MemberState.FIXED);
    }
}
