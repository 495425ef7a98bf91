package dev.chatlab.reference.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.core.server.PeerMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link PeerMessage} as one line of JSON for the clustered event bus, and reads it back.
 * Frames carried inside ({@code ToDevice}, {@code ToUser}) use the device wire codec, so a frame
 * crosses the cluster in exactly the text it reaches the device in.
 *
 * <pre>{@code
 * PeerCodec codec = new PeerCodec();
 * String text = codec.encode("n1", new PeerMessage.RemovalConfirmed("c1", "bob", "n1"));
 * PeerCodec.Envelope in = codec.decode(text);     // in.from() == "n1"
 * }</pre>
 */
public final class PeerCodec {

    /** A decoded message and the node that sent it. */
    public record Envelope(String from, PeerMessage message) {
    }

    /**
     * Peers carry the text as UTF-8, which has no bytes for a lone surrogate (the protocol allows one
     * in any string): every non-ASCII character is written as a JSON escape, so the text is ASCII.
     */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final int FRAME_CHARS_MAX = 1 << 20;

    private final FrameCodec frames = new FrameCodec(FRAME_CHARS_MAX);

    public String encode(String from, PeerMessage message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("from", from);
        write(o, message);
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** @throws IllegalArgumentException if the text is not a message this codec wrote */
    public Envelope decode(String text) {
        try {
            JsonNode o = JSON.readTree(text);
            return new Envelope(o.get("from").asText(), read(o));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a peer message: " + e.getMessage(), e);
        }
    }

    private void write(ObjectNode o, PeerMessage message) {
        if (message instanceof PeerMessage.Submit m) {
            o.put("type", "submit").put("chat", m.chat()).put("user", m.user()).put("device", m.device())
                    .put("node", m.node()).put("cmid", m.cmid()).put("body", m.body()).put("hops", m.hops());
        } else if (message instanceof PeerMessage.SyncRequest m) {
            o.put("type", "sync").put("chat", m.chat()).put("user", m.user()).put("device", m.device())
                    .put("node", m.node()).put("after", m.afterSeq()).put("limit", m.limit()).put("hops", m.hops());
        } else if (message instanceof PeerMessage.WatermarkReport m) {
            o.put("type", "watermark").put("chat", m.chat()).put("user", m.user()).put("device", m.device())
                    .put("node", m.node()).put("state", m.state().name()).put("seq", m.seq()).put("hops", m.hops());
        } else if (message instanceof PeerMessage.TypingReport m) {
            o.put("type", "typing").put("chat", m.chat()).put("user", m.user()).put("device", m.device())
                    .put("node", m.node()).put("hops", m.hops());
        } else if (message instanceof PeerMessage.MembershipRequest m) {
            o.put("type", "membership").put("chat", m.chat()).put("actor", m.actor()).put("user", m.user())
                    .put("op", m.op().name()).put("actorDevice", m.actorDevice()).put("actorNode", m.actorNode())
                    .put("hops", m.hops());
        } else if (message instanceof PeerMessage.ToDevice m) {
            o.put("type", "to-device").put("user", m.user()).put("device", m.device())
                    .put("frame", frames.encode(m.frame()));
        } else if (message instanceof PeerMessage.ToUser m) {
            o.put("type", "to-user").put("user", m.user()).put("except", m.exceptDevice())
                    .put("frame", frames.encode(m.frame()));
        } else if (message instanceof PeerMessage.RemovalNotice m) {
            o.put("type", "removal-notice").put("chat", m.chat()).put("user", m.user()).put("owner", m.owner());
        } else if (message instanceof PeerMessage.RemovalNoticed m) {
            o.put("type", "removal-noticed").put("chat", m.chat()).put("user", m.user()).put("node", m.node())
                    .put("devices", m.devices());
        } else if (message instanceof PeerMessage.RemovalConfirmed m) {
            o.put("type", "removal-confirmed").put("chat", m.chat()).put("user", m.user()).put("node", m.node());
        } else if (message instanceof PeerMessage.DirectoryUpdate m) {
            o.put("type", "directory");
            writeUpdate(o, m);
        } else if (message instanceof PeerMessage.DirectoryAck m) {
            o.put("type", "directory-ack").put("user", m.user()).put("device", m.device()).put("node", m.node());
        } else if (message instanceof PeerMessage.DirectorySnapshot m) {
            o.put("type", "directory-snapshot").put("node", m.node());
            ArrayNode entries = o.putArray("entries");
            for (PeerMessage.DirectoryUpdate u : m.entries()) {
                writeUpdate(entries.addObject(), u);
            }
        } else if (message instanceof PeerMessage.HomeChatsRequest m) {
            o.put("type", "home-chats-request").put("user", m.user()).put("session", m.session())
                    .put("gateway", m.gateway());
        } else if (message instanceof PeerMessage.HomeChats m) {
            o.put("type", "home-chats").put("user", m.user()).put("session", m.session()).put("node", m.node());
            ArrayNode heads = o.putArray("heads");
            for (Frame.ChatHead head : m.heads()) {
                heads.addObject().put("chat", head.chat()).put("lastSeq", head.lastSeq());
            }
        } else {
            throw new IllegalArgumentException("no encoding for " + message.getClass().getSimpleName());
        }
    }

    private static void writeUpdate(ObjectNode o, PeerMessage.DirectoryUpdate m) {
        o.put("user", m.user()).put("device", m.device()).put("node", m.node()).put("online", m.online())
                .put("lastSeen", m.lastSeenMicros());
    }

    private PeerMessage read(JsonNode o) {
        String type = o.get("type").asText();
        switch (type) {
            case "submit":
                return new PeerMessage.Submit(s(o, "chat"), s(o, "user"), s(o, "device"), s(o, "node"), s(o, "cmid"),
                        s(o, "body"), o.get("hops").asInt());
            case "sync":
                return new PeerMessage.SyncRequest(s(o, "chat"), s(o, "user"), s(o, "device"), s(o, "node"),
                        o.get("after").asLong(), o.get("limit").asInt(), o.get("hops").asInt());
            case "watermark":
                return new PeerMessage.WatermarkReport(s(o, "chat"), s(o, "user"), s(o, "device"), s(o, "node"),
                        ReceiptState.valueOf(s(o, "state")), o.get("seq").asLong(), o.get("hops").asInt());
            case "typing":
                return new PeerMessage.TypingReport(s(o, "chat"), s(o, "user"), s(o, "device"), s(o, "node"),
                        o.get("hops").asInt());
            case "membership":
                return new PeerMessage.MembershipRequest(s(o, "chat"), s(o, "actor"), s(o, "user"),
                        MemberOp.valueOf(s(o, "op")), s(o, "actorDevice"), s(o, "actorNode"), o.get("hops").asInt());
            case "to-device":
                return new PeerMessage.ToDevice(s(o, "user"), s(o, "device"), frame(o));
            case "to-user":
                return new PeerMessage.ToUser(s(o, "user"), s(o, "except"), frame(o));
            case "removal-notice":
                return new PeerMessage.RemovalNotice(s(o, "chat"), s(o, "user"), s(o, "owner"));
            case "removal-noticed":
                return new PeerMessage.RemovalNoticed(s(o, "chat"), s(o, "user"), s(o, "node"), o.get("devices").asInt());
            case "removal-confirmed":
                return new PeerMessage.RemovalConfirmed(s(o, "chat"), s(o, "user"), s(o, "node"));
            case "directory":
                return readUpdate(o);
            case "directory-ack":
                return new PeerMessage.DirectoryAck(s(o, "user"), s(o, "device"), s(o, "node"));
            case "directory-snapshot": {
                List<PeerMessage.DirectoryUpdate> entries = new ArrayList<>();
                for (JsonNode e : o.get("entries")) {
                    entries.add(readUpdate(e));
                }
                return new PeerMessage.DirectorySnapshot(s(o, "node"), entries);
            }
            case "home-chats-request":
                return new PeerMessage.HomeChatsRequest(s(o, "user"), o.get("session").asLong(), s(o, "gateway"));
            case "home-chats": {
                List<Frame.ChatHead> heads = new ArrayList<>();
                for (JsonNode h : o.get("heads")) {
                    heads.add(new Frame.ChatHead(s(h, "chat"), h.get("lastSeq").asLong()));
                }
                return new PeerMessage.HomeChats(s(o, "user"), o.get("session").asLong(), s(o, "node"), heads);
            }
            default:
                throw new IllegalArgumentException("unknown peer message type '" + type + "'");
        }
    }

    private static PeerMessage.DirectoryUpdate readUpdate(JsonNode o) {
        return new PeerMessage.DirectoryUpdate(s(o, "user"), s(o, "device"), s(o, "node"), o.get("online").asBoolean(),
                o.get("lastSeen").asLong());
    }

    private Frame frame(JsonNode o) {
        FrameCodec.Decoded decoded = frames.decode(s(o, "frame"));
        if (!decoded.ok()) {
            throw new IllegalArgumentException("embedded frame refused: " + decoded.error().message());
        }
        return decoded.frame();
    }

    /** A string field, null when absent or JSON null (some fields are optional). */
    private static String s(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
