package dev.chatlab.core.protocol;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.List;

/**
 * Generators of valid frames for the codec's properties: every field within its rules, strings
 * mixing plain ASCII, characters JSON must escape, and any Unicode code point (emoji included).
 *
 * <pre>{@code
 * @Provide Arbitrary<Frame.Ack> acks() { return FrameArbitraries.acks(); }
 * }</pre>
 */
final class FrameArbitraries {

    private FrameArbitraries() {
    }

    /** Any string that is valid UTF-16 (no lone surrogate), often holding characters JSON escapes. */
    static Arbitrary<String> texts() {
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(6);
        Arbitrary<String> escaped = Arbitraries.of("\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000",
                "\u0001", "\u001f", "\u007f", "\u2028", "\u2029", "\\u0041", "\\\"", "{\"v\":2}", "</script>");
        Arbitrary<String> anyCodePoint = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .map(Character::toString);
        Arbitrary<String> words = Arbitraries.of("é", "жизнь", "中文", "עברית", "😀", "👩\u200d👩\u200d👧", "\ufeff", "ﬀ");
        Arbitrary<String> fragment = Arbitraries.frequencyOf(List.of(
                Tuple.of(4, ascii), Tuple.of(2, escaped), Tuple.of(2, anyCodePoint), Tuple.of(1, words)));
        return fragment.list().ofMaxSize(8).map(parts -> String.join("", parts));
    }

    static Arbitrary<String> ids() {
        return texts().filter(text -> !text.isEmpty());
    }

    static Arbitrary<Long> seqs() {
        return Arbitraries.longs().between(1, Long.MAX_VALUE);
    }

    static Arbitrary<Long> cursors() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    static Arbitrary<Long> nonces() {
        return Arbitraries.longs();
    }

    static Arbitrary<Frame.Hello> hellos() {
        return Combinators.combine(ids(), ids(), texts().injectNull(0.3)).as(Frame.Hello::new);
    }

    static Arbitrary<Frame.Send> sends() {
        return Combinators.combine(ids(), ids(), texts()).as(Frame.Send::new);
    }

    static Arbitrary<Frame.Delivered> delivereds() {
        return Combinators.combine(ids(), seqs()).as(Frame.Delivered::new);
    }

    static Arbitrary<Frame.Read> reads() {
        return Combinators.combine(ids(), seqs()).as(Frame.Read::new);
    }

    static Arbitrary<Frame.Typing> typings() {
        return ids().map(Frame.Typing::new);
    }

    static Arbitrary<Frame.Sync> syncs() {
        return Combinators.combine(ids(), cursors(), Arbitraries.integers().between(1, FrameCodec.SYNC_LIMIT_MAX))
                .as(Frame.Sync::new);
    }

    static Arbitrary<Frame.Membership> memberships() {
        return Combinators.combine(ids(), ids(), Arbitraries.of(MemberOp.class)).as(Frame.Membership::new);
    }

    static Arbitrary<Frame.Left> lefts() {
        return ids().map(Frame.Left::new);
    }

    static Arbitrary<Frame.Watch> watches() {
        return ids().list().ofMaxSize(6).map(Frame.Watch::new);
    }

    static Arbitrary<Frame.Ping> pings() {
        return nonces().map(Frame.Ping::new);
    }

    static Arbitrary<Frame.Welcome> welcomes() {
        Arbitrary<Frame.ChatHead> heads = Combinators.combine(ids(), cursors()).as(Frame.ChatHead::new);
        return Combinators.combine(ids(), ids(), heads.list().ofMaxSize(6)).as(Frame.Welcome::new);
    }

    static Arbitrary<Frame.Ack> acks() {
        return Combinators.combine(ids(), ids(), seqs()).as(Frame.Ack::new);
    }

    static Arbitrary<Frame.Fail> fails() {
        return Combinators.combine(ids(), ids(), Arbitraries.of(ErrorCode.class), texts()).as(Frame.Fail::new);
    }

    static Arbitrary<Frame.Deliver> delivers() {
        return Combinators.combine(ids(), seqs(), ids(), ids(), texts(), Arbitraries.of(Via.class).injectNull(0.3))
                .as(Frame.Deliver::new);
    }

    static Arbitrary<Frame.Receipt> receipts() {
        return Combinators.combine(ids(), ids(), Arbitraries.of(ReceiptState.class), seqs()).as(Frame.Receipt::new);
    }

    static Arbitrary<Frame.TypingNotice> typingNotices() {
        return Combinators.combine(ids(), ids()).as(Frame.TypingNotice::new);
    }

    static Arbitrary<Frame.PresenceNotice> presences() {
        Arbitrary<Long> lastSeen = Arbitraries.oneOf(List.of(Arbitraries.just(-1L), cursors()));
        return Combinators.combine(ids(), Arbitraries.of(PresenceState.class), lastSeen).as(Frame.PresenceNotice::new);
    }

    static Arbitrary<Frame.SyncDone> syncDones() {
        return Combinators.combine(ids(), cursors(), Arbitraries.of(true, false)).as(Frame.SyncDone::new);
    }

    static Arbitrary<Frame.Notify> notifies() {
        return Combinators.combine(ids(), seqs()).as(Frame.Notify::new);
    }

    static Arbitrary<Frame.Pong> pongs() {
        return nonces().map(Frame.Pong::new);
    }

    static Arbitrary<Frame.Error> errors() {
        return Combinators.combine(Arbitraries.of(ErrorCode.class), texts(), ids().injectNull(0.5), ids().injectNull(0.5))
                .as(Frame.Error::new);
    }

    /** A frame of any type, each type equally likely. */
    static Arbitrary<Frame> frames() {
        List<Arbitrary<? extends Frame>> all = List.of(hellos(), sends(), delivereds(), reads(), typings(), syncs(),
                memberships(), lefts(), watches(), pings(), welcomes(), acks(), fails(), delivers(), receipts(),
                typingNotices(), presences(), syncDones(), notifies(), pongs(), errors());
        return Arbitraries.oneOf(all);
    }
}
