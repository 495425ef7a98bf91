package dev.chatlab.reference.cluster;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.server.PeerMessage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerCodecTest {

    private final PeerCodec codec = new PeerCodec();

    static List<PeerMessage> oneOfEach() {
        PeerMessage.DirectoryUpdate update = new PeerMessage.DirectoryUpdate("u1", "d1", "n1", true, 42, 1_042);
        return List.of(
                new PeerMessage.Submit("c1", "u1", "d1", "n1", "m1", "hi \"there\"", 1),
                new PeerMessage.SyncRequest("c1", "u1", "d1", "n1", 7, 200, 0),
                new PeerMessage.WatermarkReport("c1", "u1", "d1", "n2", ReceiptState.READ, 9, 2),
                new PeerMessage.TypingReport("c1", "u1", "d1", "n2", 0),
                new PeerMessage.MembershipRequest("c1", "u1", "u2", MemberOp.ADD, null, null, 0),
                new PeerMessage.ToDevice("u1", "d1", new Frame.Deliver("c1", 3, "m1", "u2", "body", Via.PUSH)),
                new PeerMessage.ToUsers(List.of("u1"), null, null, new Frame.Ack("c1", "m1", 3)),
                new PeerMessage.ToUsers(List.of("u1", "u2"), "u1", "phone", new Frame.Notify("c1", 4)),
                new PeerMessage.RemovalNotice("c1", "u1", "n2"),
                new PeerMessage.RemovalNoticed("c1", "u1", "n1", 2),
                new PeerMessage.RemovalConfirmed("c1", "u1", "n1"),
                update,
                new PeerMessage.DirectoryAck("u1", "d1", "n2", 1_042),
                new PeerMessage.DirectorySnapshot("n1", List.of(update, new PeerMessage.DirectoryUpdate("u2", "d2", "n1", false, -1)), true),
                new PeerMessage.HomeChatsRequest("u1", 17, "n2"),
                new PeerMessage.HomeChats("u1", 17, "n3", List.of(new Frame.ChatHead("c1", 4), new Frame.ChatHead("c2", 0))));
    }

    @Test
    void shouldRoundTripEveryKindOfPeerMessage() {
        for (PeerMessage m : oneOfEach()) {
            PeerCodec.Envelope back = codec.decode(codec.encode("n3", m));
            assertThat(back.from()).isEqualTo("n3");
            assertThat(back.message()).isEqualTo(m);
        }
    }

    @Test
    void shouldCarryAnyProtocolStringExactlyAsBytes() {
        // Peers exchange bytes; UTF-8 cannot hold a lone surrogate (a send through a node that did
        // not own the chat was once stored with '?' in its place).
        String odd = "lone \ud800 and \udfff, pair 😀, nul \u0000, é";
        List<PeerMessage> messages = List.of(
                new PeerMessage.Submit("c\ud800", "u\u0000", "d1", "n1", "m\udc00", odd, 1),
                new PeerMessage.MembershipRequest("c\ud800", "u1", "u\udbff", MemberOp.ADD, null, null, 0),
                new PeerMessage.ToDevice("u\ud800", "d1", new Frame.Deliver("c1", 3, "m1", "u2", odd, Via.PUSH)));
        for (PeerMessage m : messages) {
            Buffer wire = Buffer.buffer(codec.encode("n1", m).getBytes());
            assertThat(codec.decode(wire).message()).isEqualTo(m);
        }
    }

    @Test
    void shouldCoverEveryPeerMessageTypeThatChatCoreDefines() {
        Set<Class<?>> covered = oneOfEach().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(PeerMessage.class.getPermittedSubclasses());
    }

    @Test
    void shouldRefuseBytesThatAreNotAPeerMessage() {
        Buffer good = codec.encode("n1", oneOfEach().get(0));
        assertThatThrownBy(() -> codec.decode(Buffer.buffer("not a message"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(good.getBuffer(0, good.length() - 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(Buffer.buffer().appendBuffer(good).appendByte((byte) 0)))
                .isInstanceOf(IllegalArgumentException.class);
        Buffer unknownType = good.copy().setByte(1, (byte) 99);
        assertThatThrownBy(() -> codec.decode(unknownType)).isInstanceOf(IllegalArgumentException.class);
        Buffer hugeString = good.copy().setInt(2, Integer.MAX_VALUE);
        assertThatThrownBy(() -> codec.decode(hugeString)).isInstanceOf(IllegalArgumentException.class);
    }
}
