package dev.chatlab.core.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decoding never throws, whatever a peer sends: random Unicode, shuffled JSON fragments, and
 * valid frames cut, spliced or with a character changed. Whatever it accepts is a frame that the
 * codec writes and reads back unchanged.
 */
class FrameCodecRobustnessTest {

    private final FrameCodec codec = new FrameCodec();

    private void assertDecodesWithoutThrowing(String text) {
        FrameCodec.Decoded decoded = codec.decode(text);

        assertThat(decoded).isNotNull();
        assertThat(decoded.ok()).isEqualTo(decoded.error() == null);
        if (decoded.ok()) {
            assertThat(codec.decode(codec.encode(decoded.frame())).frame()).isEqualTo(decoded.frame());
        } else {
            assertThat(decoded.error().code()).as("a bad frame is the peer's fault, not the codec's: %s", text)
                    .isNotEqualTo(ErrorCode.INTERNAL);
            assertThat(decoded.error().message()).isNotBlank();
        }
    }

    @Property
    void shouldNeverThrowOnRandomUnicode(@ForAll("unicode") String text) {
        assertDecodesWithoutThrowing(text);
    }

    @Property
    void shouldNeverThrowOnJsonishFragments(@ForAll("jsonish") String text) {
        assertDecodesWithoutThrowing(text);
    }

    @Property
    void shouldNeverThrowOnObjectsOfKnownFieldsWithRandomValues(@ForAll("objectsOfKnownFields") String text) {
        assertDecodesWithoutThrowing(text);
    }

    @Property
    void shouldNeverThrowOnDamagedFrames(@ForAll("damagedFrames") String text) {
        assertDecodesWithoutThrowing(text);
    }

    @Provide
    Arbitrary<String> unicode() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().all().ofMaxLength(60).map(s -> "{" + s + "}"),
                Arbitraries.strings().all().ofMaxLength(60).map(s -> "{\"type\":\"" + s + "\"}")));
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\n", "true", "false",
                "null", "0", "-0", "1", "-1", "1.5", "1e999", "-1e-999", "01", "9223372036854775808", "NaN",
                "\"type\"", "\"v\"", "\"ping\"", "\"nonce\"", "\"chat\"", "\"seq\"", "\"users\"", "\"chats\"",
                "\"last_seq\"", "\"welcome\"", "\"watch\"", "\"\\u\"", "\"\\ud800\"", "\"\\uDC00x\"", "\u0000", "/*",
                "\ud800", "😀", "'");
        return token.list().ofMaxSize(30).map(tokens -> String.join("", tokens));
    }

    /** Well-formed objects whose fields the protocol knows, each holding a random JSON value. */
    @Provide
    Arbitrary<String> objectsOfKnownFields() {
        Arbitrary<String> name = Arbitraries.of(WireField.values()).map(f -> f.wire)
                .injectDuplicates(0.1);
        Arbitrary<String> value = Arbitraries.oneOf(List.of(
                Arbitraries.of("1", "0", "-1", "10000", "10001", "1.0", "true", "false", "null", "\"\"", "[]", "{}",
                        "\"add\"", "\"push\"", "\"read\"", "\"online\"", "\"bad-json\"", "9223372036854775807",
                        "9223372036854775808", "[\"a\",\"\"]", "[{\"chat\":\"c\",\"last_seq\":1}]", "[{\"chat\":1}]",
                        "[1,[2,{}]]"),
                Arbitraries.of(WireRules.TYPES).map(t -> "\"" + t + "\""),
                FrameArbitraries.texts().map(FrameCodecRobustnessTest::jsonString),
                Arbitraries.longs().map(n -> Long.toString(n))));
        Arbitrary<String> field = Combinators.combine(name, value).as((n, v) -> "\"" + n + "\":" + v);
        return field.list().ofMaxSize(9).map(fields -> "{" + String.join(",", fields) + "}");
    }

    @Provide
    Arbitrary<String> damagedFrames() {
        Arbitrary<String> frames = FrameArbitraries.frames().map(codec::encode);
        Arbitrary<Tuple.Tuple3<String, Double, Double>> cuts = Combinators.combine(frames,
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1)).as(Tuple::of);
        Arbitrary<String> junk = Arbitraries.of("", "\"", "{", "}", "]", ",", "x", "\\", "\u0000", "-", "\ud83d");
        return Combinators.combine(cuts, junk, Arbitraries.of(Damage.values())).as((cut, insert, damage) -> {
            String text = cut.get1();
            int a = (int) (cut.get2() * text.length());
            int b = (int) (cut.get3() * text.length());
            int from = Math.min(a, b);
            int to = Math.max(a, b);
            switch (damage) {
                case TRUNCATE: return text.substring(0, from);
                case DELETE_RANGE: return text.substring(0, from) + text.substring(to);
                case INSERT: return text.substring(0, from) + insert + text.substring(from);
                case REPLACE_CHAR: return text.substring(0, from) + insert + text.substring(Math.min(text.length(), from + 1));
                default: return text + insert;
            }
        });
    }

    private enum Damage { TRUNCATE, DELETE_RANGE, INSERT, REPLACE_CHAR, APPEND }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
