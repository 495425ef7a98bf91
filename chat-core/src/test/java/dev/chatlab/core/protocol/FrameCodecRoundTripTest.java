package dev.chatlab.core.protocol;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every frame survives encode then decode unchanged, in canonical, deterministic text; and the
 * decoder reads what other writers may legally send (fields in any order, unknown fields, nulls
 * for optional fields).
 */
class FrameCodecRoundTripTest {

    private final FrameCodec codec = new FrameCodec();

    private void assertRoundTrip(Frame frame) {
        String text = codec.encode(frame);
        FrameCodec.Decoded decoded = codec.decode(text);
        assertThat(decoded.error()).as("decoding %s", text).isNull();
        assertThat(decoded.frame()).isEqualTo(frame);
        assertThat(codec.encode(decoded.frame())).as("same frame, same text").isEqualTo(text);
        assertThat(text).startsWith("{\"v\":1,\"type\":\"" + frame.type() + "\"");
    }

    @Property
    void helloShouldRoundTrip(@ForAll("hellos") Frame.Hello frame) {
        assertRoundTrip(frame);
    }

    @Property
    void sendShouldRoundTrip(@ForAll("sends") Frame.Send frame) {
        assertRoundTrip(frame);
    }

    @Property
    void deliveredShouldRoundTrip(@ForAll("delivereds") Frame.Delivered frame) {
        assertRoundTrip(frame);
    }

    @Property
    void readShouldRoundTrip(@ForAll("reads") Frame.Read frame) {
        assertRoundTrip(frame);
    }

    @Property
    void typingShouldRoundTrip(@ForAll("typings") Frame.Typing frame) {
        assertRoundTrip(frame);
    }

    @Property
    void syncShouldRoundTrip(@ForAll("syncs") Frame.Sync frame) {
        assertRoundTrip(frame);
    }

    @Property
    void membershipShouldRoundTrip(@ForAll("memberships") Frame.Membership frame) {
        assertRoundTrip(frame);
    }

    @Property
    void leftShouldRoundTrip(@ForAll("lefts") Frame.Left frame) {
        assertRoundTrip(frame);
    }

    @Property
    void watchShouldRoundTrip(@ForAll("watches") Frame.Watch frame) {
        assertRoundTrip(frame);
    }

    @Property
    void pingShouldRoundTrip(@ForAll("pings") Frame.Ping frame) {
        assertRoundTrip(frame);
    }

    @Property
    void welcomeShouldRoundTrip(@ForAll("welcomes") Frame.Welcome frame) {
        assertRoundTrip(frame);
    }

    @Property
    void ackShouldRoundTrip(@ForAll("acks") Frame.Ack frame) {
        assertRoundTrip(frame);
    }

    @Property
    void failShouldRoundTrip(@ForAll("fails") Frame.Fail frame) {
        assertRoundTrip(frame);
    }

    @Property
    void deliverShouldRoundTrip(@ForAll("delivers") Frame.Deliver frame) {
        assertRoundTrip(frame);
    }

    @Property
    void receiptShouldRoundTrip(@ForAll("receipts") Frame.Receipt frame) {
        assertRoundTrip(frame);
    }

    @Property
    void typingNoticeShouldRoundTrip(@ForAll("typingNotices") Frame.TypingNotice frame) {
        assertRoundTrip(frame);
    }

    @Property
    void presenceShouldRoundTrip(@ForAll("presences") Frame.PresenceNotice frame) {
        assertRoundTrip(frame);
    }

    @Property
    void syncDoneShouldRoundTrip(@ForAll("syncDones") Frame.SyncDone frame) {
        assertRoundTrip(frame);
    }

    @Property
    void notifyShouldRoundTrip(@ForAll("notifies") Frame.Notify frame) {
        assertRoundTrip(frame);
    }

    @Property
    void pongShouldRoundTrip(@ForAll("pongs") Frame.Pong frame) {
        assertRoundTrip(frame);
    }

    @Property
    void errorShouldRoundTrip(@ForAll("errors") Frame.Error frame) {
        assertRoundTrip(frame);
    }

    @Property
    void shouldIgnoreUnknownFieldsWhereverTheyAre(@ForAll("frames") Frame frame) {
        String text = codec.encode(frame);
        String withExtras = "{\"x_future\":{\"deep\":[1,{\"a\":null},[true,\"s\"]]},"
                + text.substring(1, text.length() - 1)
                + ",\"x_list\":[[],{}],\"x_num\":1.5e300}";

        assertThat(codec.decode(withExtras).frame()).as(withExtras).isEqualTo(frame);
    }

    // ---- canonical text -------------------------------------------------------------------------

    @Example
    void shouldWriteFieldsInAFixedOrder() {
        assertThat(codec.encode(new Frame.Deliver("c1", 42, "m-1", "alice", "hi", Via.PUSH)))
                .isEqualTo("{\"v\":1,\"type\":\"deliver\",\"chat\":\"c1\",\"seq\":42,\"cmid\":\"m-1\","
                        + "\"from\":\"alice\",\"body\":\"hi\",\"via\":\"push\"}");
        assertThat(codec.encode(new Frame.Sync("c1", 0, 100)))
                .isEqualTo("{\"v\":1,\"type\":\"sync\",\"chat\":\"c1\",\"after_seq\":0,\"limit\":100}");
        assertThat(codec.encode(new Frame.Welcome("n1", "s-9", List.of(new Frame.ChatHead("c1", 7)))))
                .isEqualTo("{\"v\":1,\"type\":\"welcome\",\"node\":\"n1\",\"session\":\"s-9\","
                        + "\"chats\":[{\"chat\":\"c1\",\"last_seq\":7}]}");
        assertThat(codec.encode(new Frame.Fail("c1", "m-1", ErrorCode.NOT_A_MEMBER, "no")))
                .isEqualTo("{\"v\":1,\"type\":\"fail\",\"chat\":\"c1\",\"cmid\":\"m-1\",\"code\":\"not-a-member\","
                        + "\"reason\":\"no\"}");
    }

    @Example
    void shouldWriteEnumsInLowerCase() {
        assertThat(codec.encode(new Frame.Membership("c1", "bob", MemberOp.REMOVE))).contains("\"op\":\"remove\"");
        assertThat(codec.encode(new Frame.Receipt("c1", "bob", ReceiptState.READ, 3))).contains("\"state\":\"read\"");
        assertThat(codec.encode(new Frame.PresenceNotice("bob", PresenceState.OFFLINE, 5)))
                .contains("\"state\":\"offline\"");
        assertThat(codec.encode(new Frame.Error(ErrorCode.FRAME_TOO_LARGE, "big")))
                .contains("\"code\":\"frame-too-large\"");
    }

    @Example
    void shouldLeaveOutOptionalFieldsThatAreAbsent() {
        assertThat(codec.encode(new Frame.Hello("alice", "phone", null)))
                .isEqualTo("{\"v\":1,\"type\":\"hello\",\"user\":\"alice\",\"device\":\"phone\"}");
        assertThat(codec.encode(new Frame.Deliver("c1", 1, "m", "a", "", null))).doesNotContain("via");
        assertThat(codec.encode(new Frame.PresenceNotice("bob", PresenceState.ONLINE, -1)))
                .isEqualTo("{\"v\":1,\"type\":\"presence\",\"about\":\"bob\",\"state\":\"online\"}");
    }

    @Example
    void shouldEscapeWhatJsonRequiresAndKeepOtherCharactersAsTheyAre() {
        String text = codec.encode(new Frame.Send("c", "m", "a\"b\\c\nd\u0001é😀"));

        assertThat(text).endsWith("\"body\":\"a\\\"b\\\\c\\nd\\u0001é😀\"}");
    }

    @Example
    void shouldReadFieldsInAnyOrder() {
        FrameCodec.Decoded decoded = codec.decode("{\"seq\":5,\"cmid\":\"m\",\"chat\":\"c\",\"type\":\"ack\",\"v\":1}");

        assertThat(decoded.frame()).isEqualTo(new Frame.Ack("c", "m", 5));
    }

    @Example
    void shouldTakeAMissingVersionAsVersionOne() {
        assertThat(codec.decode("{\"type\":\"ping\",\"nonce\":-3}").frame()).isEqualTo(new Frame.Ping(-3));
    }

    @Example
    void shouldAcceptWhitespaceAroundAndInsideTheObject() {
        assertThat(codec.decode(" \n{ \"type\" : \"typing\" ,\r\n\t\"chat\" : \"c\" }\n ").frame())
                .isEqualTo(new Frame.Typing("c"));
    }

    @Example
    void shouldTakeNullOptionalFieldsAsAbsent() {
        assertThat(codec.decode("{\"type\":\"hello\",\"user\":\"u\",\"device\":\"d\",\"token\":null}").frame())
                .isEqualTo(new Frame.Hello("u", "d", null));
        assertThat(codec.decode("{\"type\":\"deliver\",\"chat\":\"c\",\"seq\":1,\"cmid\":\"m\",\"from\":\"a\","
                + "\"body\":\"\",\"via\":null}").frame())
                .isEqualTo(new Frame.Deliver("c", 1, "m", "a", "", null));
        assertThat(codec.decode("{\"type\":\"presence\",\"about\":\"b\",\"state\":\"online\",\"last_seen\":null}").frame())
                .isEqualTo(new Frame.PresenceNotice("b", PresenceState.ONLINE, -1));
    }

    @Example
    void shouldIgnoreKnownFieldsThatTheTypeDoesNotUseWhateverTheyHold() {
        String ping = "{\"type\":\"ping\",\"nonce\":1,\"seq\":\"not a number\",\"users\":[1,2],\"chats\":[{}],\"chat\":\"\"}";

        assertThat(codec.decode(ping).frame()).isEqualTo(new Frame.Ping(1));
    }

    @Example
    void shouldDecodeEscapedUnicodeIncludingSurrogatePairs() {
        FrameCodec.Decoded decoded = codec.decode("{\"type\":\"send\",\"chat\":\"\\u00e9\",\"cmid\":\"m\","
                + "\"body\":\"\\ud83d\\ude00\\u0000\"}");

        assertThat(decoded.frame()).isEqualTo(new Frame.Send("é", "m", "😀\u0000"));
    }

    @Example
    void shouldAcceptTheExtremesOfEachRange() {
        assertThat(codec.decode("{\"type\":\"ping\",\"nonce\":-9223372036854775808}").frame())
                .isEqualTo(new Frame.Ping(Long.MIN_VALUE));
        assertThat(codec.decode("{\"type\":\"ack\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":9223372036854775807}").frame())
                .isEqualTo(new Frame.Ack("c", "m", Long.MAX_VALUE));
        assertThat(codec.decode("{\"type\":\"sync\",\"chat\":\"c\",\"after_seq\":0,\"limit\":10000}").frame())
                .isEqualTo(new Frame.Sync("c", 0, 10_000));
        assertThat(codec.decode("{\"type\":\"welcome\",\"node\":\"n\",\"session\":\"s\",\"chats\":[]}").frame())
                .isEqualTo(new Frame.Welcome("n", "s", List.of()));
        assertThat(codec.decode("{\"type\":\"watch\",\"users\":[]}").frame()).isEqualTo(new Frame.Watch(List.of()));
    }

    // ---- generators -----------------------------------------------------------------------------

    @Provide Arbitrary<Frame.Hello> hellos() { return FrameArbitraries.hellos(); }
    @Provide Arbitrary<Frame.Send> sends() { return FrameArbitraries.sends(); }
    @Provide Arbitrary<Frame.Delivered> delivereds() { return FrameArbitraries.delivereds(); }
    @Provide Arbitrary<Frame.Read> reads() { return FrameArbitraries.reads(); }
    @Provide Arbitrary<Frame.Typing> typings() { return FrameArbitraries.typings(); }
    @Provide Arbitrary<Frame.Sync> syncs() { return FrameArbitraries.syncs(); }
    @Provide Arbitrary<Frame.Membership> memberships() { return FrameArbitraries.memberships(); }
    @Provide Arbitrary<Frame.Left> lefts() { return FrameArbitraries.lefts(); }
    @Provide Arbitrary<Frame.Watch> watches() { return FrameArbitraries.watches(); }
    @Provide Arbitrary<Frame.Ping> pings() { return FrameArbitraries.pings(); }
    @Provide Arbitrary<Frame.Welcome> welcomes() { return FrameArbitraries.welcomes(); }
    @Provide Arbitrary<Frame.Ack> acks() { return FrameArbitraries.acks(); }
    @Provide Arbitrary<Frame.Fail> fails() { return FrameArbitraries.fails(); }
    @Provide Arbitrary<Frame.Deliver> delivers() { return FrameArbitraries.delivers(); }
    @Provide Arbitrary<Frame.Receipt> receipts() { return FrameArbitraries.receipts(); }
    @Provide Arbitrary<Frame.TypingNotice> typingNotices() { return FrameArbitraries.typingNotices(); }
    @Provide Arbitrary<Frame.PresenceNotice> presences() { return FrameArbitraries.presences(); }
    @Provide Arbitrary<Frame.SyncDone> syncDones() { return FrameArbitraries.syncDones(); }
    @Provide Arbitrary<Frame.Notify> notifies() { return FrameArbitraries.notifies(); }
    @Provide Arbitrary<Frame.Pong> pongs() { return FrameArbitraries.pongs(); }
    @Provide Arbitrary<Frame.Error> errors() { return FrameArbitraries.errors(); }
    @Provide Arbitrary<Frame> frames() { return FrameArbitraries.frames(); }
}
