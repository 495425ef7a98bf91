package dev.chatlab.reference.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Frames for fuzzing a chat node, the same sequence for the same seed: random and grammar-based
 * mutations of every frame type of docs/protocol.md (those a device sends, and some only a server
 * sends), whole or split into fragments, binary, text whose bytes are not UTF-8, longer than the
 * frame limit and longer than what the WebSocket layer takes.
 *
 * <pre>{@code
 * FuzzFrames frames = new FuzzFrames(7, "c1", "f1", List.of("alice", "bob"), 65_536);
 * FuzzFrames.Fuzzed f = frames.next();
 * }</pre>
 */
public final class FuzzFrames {

    /** How a fuzzed frame goes on the wire. */
    public enum Shape {
        /** One text message. */
        TEXT,
        /** One text message in two or three fragments: the node must read it as {@link #TEXT}. */
        FRAGMENTED,
        /** A binary message: refused with {@code bad-json}. */
        BINARY,
        /** A text message whose bytes are not UTF-8: closes with 1007. */
        NOT_UTF8,
        /** Beyond 4 x the frame limit in UTF-8 bytes: the WebSocket layer closes with 1009. */
        BEYOND_TRANSPORT
    }

    /** One frame: its text (TEXT, FRAGMENTED, BEYOND_TRANSPORT) or its bytes (BINARY, NOT_UTF8). */
    public record Fuzzed(Shape shape, String text, byte[] bytes) {
    }

    private static final String[] SAMPLES = {
        "{\"type\":\"send\",\"chat\":\"{F}\",\"cmid\":\"x1\",\"body\":\"hi \\u0000 \\ud800 😀\"}",
        "{\"type\":\"send\",\"chat\":\"{C}\",\"cmid\":\"x2\",\"body\":\"intruder\"}",
        "{\"type\":\"delivered\",\"chat\":\"{F}\",\"seq\":1}",
        "{\"type\":\"read\",\"chat\":\"{C}\",\"seq\":9223372036854775807}",
        "{\"type\":\"typing\",\"chat\":\"{F}\"}",
        "{\"type\":\"sync\",\"chat\":\"{C}\",\"after_seq\":0,\"limit\":10000}",
        "{\"type\":\"sync\",\"chat\":\"made-up\",\"after_seq\":0,\"limit\":1}",
        "{\"type\":\"membership\",\"chat\":\"{C}\",\"user\":\"mallory\",\"op\":\"add\"}",
        "{\"type\":\"membership\",\"chat\":\"{F}\",\"user\":\"{U}\",\"op\":\"remove\"}",
        "{\"type\":\"left\",\"chat\":\"{C}\"}",
        "{\"type\":\"watch\",\"users\":[\"{U}\",\"bob\",\"dave\"]}",
        "{\"type\":\"ping\",\"nonce\":-1}",
        "{\"type\":\"hello\",\"user\":\"{U}\",\"device\":\"d9\",\"token\":\"x\"}",
        "{\"type\":\"ack\",\"chat\":\"{C}\",\"cmid\":\"m\",\"seq\":1}",
        "{\"type\":\"deliver\",\"chat\":\"{C}\",\"seq\":1,\"cmid\":\"m\",\"from\":\"bob\",\"body\":\"forged\"}",
        "{\"v\":2,\"type\":\"ping\",\"nonce\":1}",
    };
    private static final String[] ODD = {"\"", "{", "}", "[", "]", ",", ":", "\\", "\\u0000", "\\ud800", "😀", "-1",
        "1e999", "99999999999999999999", "null", "true", "\"seq\":0", "\u0000", "é", " "};
    private static final String[] TYPES = {"hello", "send", "delivered", "read", "typing", "sync", "membership", "left",
        "watch", "ping", "welcome", "ack", "fail", "deliver", "receipt", "typing-notice", "presence", "sync-done", "notify",
        "pong", "error", "shout", ""};
    private static final String[] FIELDS = {"user", "device", "token", "chat", "cmid", "body", "seq", "after_seq", "limit",
        "op", "users", "nonce", "v", "code", "x_future"};

    private final SplittableRandom random;
    private final String[] samples;
    private final String[] chats;
    private final String[] users;
    private final int frameCharsMax;
    private long cmids;

    /**
     * @param memberChat     a chat the fuzzing user may belong to
     * @param otherChat      a chat of other users
     * @param users          users the frames name (as members to add, watch, speak for)
     * @param frameCharsMax  the node's frame limit, so that oversize frames straddle it
     */
    public FuzzFrames(long seed, String memberChat, String otherChat, List<String> users, int frameCharsMax) {
        this.random = new SplittableRandom(seed);
        this.chats = new String[] {memberChat, otherChat, "made-up", "", "c\u0000"};
        this.users = users.toArray(String[]::new);
        this.frameCharsMax = frameCharsMax;
        this.samples = new String[SAMPLES.length];
        for (int i = 0; i < SAMPLES.length; i++) {
            samples[i] = SAMPLES[i].replace("{C}", memberChat).replace("{F}", otherChat).replace("{U}", this.users[0]);
        }
    }

    /** The next fuzzed frame: mostly text, now and then one of the other shapes. */
    public Fuzzed next() {
        int shape = random.nextInt(1000);
        String text = random.nextBoolean() ? mutate(samples[random.nextInt(samples.length)]) : grammar();
        if (shape < 40) {
            return new Fuzzed(Shape.FRAGMENTED, text, null);
        }
        if (shape < 60) {
            return new Fuzzed(Shape.BINARY, null, text.getBytes(StandardCharsets.UTF_8));
        }
        if (shape < 62) {
            return new Fuzzed(Shape.NOT_UTF8, null, notUtf8(text));
        }
        if (shape < 63) {
            return new Fuzzed(Shape.BEYOND_TRANSPORT, "{\"type\":\"send\",\"body\":\"" + "z".repeat(frameCharsMax * 4) + "\"}", null);
        }
        return new Fuzzed(Shape.TEXT, text, null);
    }

    /** Whether the next batch is a flood over the rate limit (about one batch in 1,000). */
    public boolean floodNext() {
        return random.nextInt(1000) == 0;
    }

    /** Whether to close the connection and open a new one before the next batch (about one in 40), to fuzz before hellos. */
    public boolean reconnectNext() {
        return random.nextInt(40) == 0;
    }

    /** A frame a device may send before its hello: any mutation, hellos with forged tokens among them. */
    public String beforeHello() {
        return random.nextInt(3) == 0 ? grammar() : mutate(samples[random.nextInt(samples.length)]);
    }

    /** How many fragments a {@link Shape#FRAGMENTED} frame is cut into, and where: cut points in its UTF-8 bytes. */
    public int[] cuts(int length) {
        if (length < 2) {
            return new int[0];
        }
        int a = random.nextInt(1, length);
        if (length < 3 || random.nextBoolean()) {
            return new int[] {a};
        }
        int b = random.nextInt(1, length);
        return a == b ? new int[] {a} : new int[] {Math.min(a, b), Math.max(a, b)};
    }

    /** A byte-level mutation of a well-formed sample, the kind a buggy client or a proxy makes. */
    String mutate(String sample) {
        StringBuilder s = new StringBuilder(sample);
        switch (random.nextInt(9)) {
            case 0:
                return sample;
            case 1:
                s.deleteCharAt(random.nextInt(s.length()));
                return s.toString();
            case 2:
                s.insert(random.nextInt(s.length() + 1), ODD[random.nextInt(ODD.length)]);
                return s.toString();
            case 3:
                return s.substring(0, random.nextInt(s.length()));
            case 4:
                return s.insert(s.length() - 1, ",\"chat\":\"" + chats[0] + "\",\"seq\":" + random.nextLong()).toString();
            case 5:
                return "[".repeat(random.nextInt(1, 60)) + sample + "]".repeat(random.nextInt(60));
            case 6: {
                char[] junk = new char[random.nextInt(1, 64)];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (char) random.nextInt(0x20, 0x7f);
                }
                return new String(junk);
            }
            case 7:
                return sample.replaceFirst("\"type\":\"[a-z-]+\"", "\"type\":\"" + TYPES[random.nextInt(TYPES.length)] + "\"");
            default:
                // Over the frame limit, but within what the WebSocket layer takes, so the protocol answers it.
                return sample.replace("\"type\"", "\"pad\":\"" + "p".repeat(frameCharsMax + random.nextInt(frameCharsMax))
                        + "\",\"type\"");
        }
    }

    /**
     * A frame built from the protocol's grammar: a type (of either direction, or none), then fields
     * the type uses or not, each with a value that is right for it or for another field, repeated
     * now and then.
     */
    String grammar() {
        StringBuilder s = new StringBuilder("{");
        if (random.nextInt(10) == 0) {
            s.append("\"v\":").append(random.nextBoolean() ? "1" : value()).append(',');
        }
        if (random.nextInt(20) != 0) {
            s.append("\"type\":\"").append(TYPES[random.nextInt(TYPES.length)]).append("\"");
        } else {
            s.append("\"type\":").append(value());
        }
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            s.append(",\"").append(FIELDS[random.nextInt(FIELDS.length)]).append("\":").append(value());
        }
        return s.append('}').toString();
    }

    private String value() {
        switch (random.nextInt(12)) {
            case 0:
                return "\"" + chats[random.nextInt(chats.length)] + "\"";
            case 1:
                return "\"" + users[random.nextInt(users.length)] + "\"";
            case 2:
                return Long.toString(random.nextLong());
            case 3:
                return Integer.toString(random.nextInt(-2, 10_002));
            case 4:
                return "\"fz-" + (++cmids) + "\"";
            case 5:
                return random.nextBoolean() ? "\"add\"" : "\"remove\"";
            case 6:
                return "[\"" + users[random.nextInt(users.length)] + "\"" + (random.nextBoolean() ? ",1]" : "]");
            case 7:
                return "\"body \\u0000 \\ud800 😀 " + random.nextInt(1000) + "\"";
            case 8:
                return random.nextBoolean() ? "null" : "true";
            case 9:
                return "{\"a\":[1,{\"b\":null}]}";
            case 10:
                return random.nextBoolean() ? "1.0" : "9223372036854775808";
            default:
                return "\"\"";
        }
    }

    /** The frame's bytes with a sequence UTF-8 cannot hold put somewhere in them. */
    private byte[] notUtf8(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[][] bad = {{(byte) 0xFF}, {(byte) 0xC3, (byte) 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF0, (byte) 0x9F}, {(byte) 0xC0, (byte) 0xAF}};
        byte[] insert = bad[random.nextInt(bad.length)];
        int at = random.nextInt(utf8.length + 1);
        byte[] out = new byte[utf8.length + insert.length];
        System.arraycopy(utf8, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(utf8, at, out, at + insert.length, utf8.length - at);
        return out;
    }
}
