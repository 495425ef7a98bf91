package dev.chatlab.core.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the decoder answers to each kind of bad frame: the right {@link ErrorCode}, and a message
 * that names the field and says what it should have held.
 */
class FrameCodecRejectionTest {

    private final FrameCodec codec = new FrameCodec();

    /** One valid frame of each type, as ordered (field, raw JSON value) pairs: the tests break one field at a time. */
    private static final Map<String, Map<String, String>> VALID = new LinkedHashMap<>();

    static {
        frame("hello", "user", "\"alice\"", "device", "\"phone\"", "token", "\"t0k\"");
        frame("send", "chat", "\"c1\"", "cmid", "\"m-1\"", "body", "\"hi\"");
        frame("delivered", "chat", "\"c1\"", "seq", "3");
        frame("read", "chat", "\"c1\"", "seq", "3");
        frame("typing", "chat", "\"c1\"");
        frame("sync", "chat", "\"c1\"", "after_seq", "0", "limit", "100");
        frame("membership", "chat", "\"c1\"", "user", "\"bob\"", "op", "\"add\"");
        frame("left", "chat", "\"c1\"");
        frame("watch", "users", "[\"bob\",\"carol\"]");
        frame("ping", "nonce", "7");
        frame("welcome", "node", "\"n1\"", "session", "\"s1\"", "chats", "[{\"chat\":\"c1\",\"last_seq\":4}]");
        frame("ack", "chat", "\"c1\"", "cmid", "\"m-1\"", "seq", "3");
        frame("fail", "chat", "\"c1\"", "cmid", "\"m-1\"", "code", "\"not-a-member\"", "reason", "\"left\"");
        frame("deliver", "chat", "\"c1\"", "seq", "3", "cmid", "\"m-1\"", "from", "\"alice\"", "body", "\"hi\"",
                "via", "\"push\"");
        frame("receipt", "chat", "\"c1\"", "by", "\"bob\"", "state", "\"read\"", "seq", "3");
        frame("typing-notice", "chat", "\"c1\"", "from", "\"alice\"");
        frame("presence", "about", "\"bob\"", "state", "\"offline\"", "last_seen", "1000");
        frame("sync-done", "chat", "\"c1\"", "up_to_seq", "3", "more", "false");
        frame("notify", "chat", "\"c1\"", "seq", "3");
        frame("pong", "nonce", "7");
        frame("error", "code", "\"rate-limited\"", "message", "\"slow down\"");
    }

    private static final List<String> OPTIONAL = List.of("hello.token", "deliver.via", "presence.last_seen");

    private static void frame(String type, String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        VALID.put(type, fields);
    }

    /** The valid frame of {@code type} with {@code field} set to {@code rawValue} (null: removed). */
    private static String with(String type, String field, String rawValue) {
        StringJoiner json = new StringJoiner(",", "{", "}");
        json.add("\"v\":1").add("\"type\":\"" + type + "\"");
        VALID.get(type).forEach((name, value) -> {
            if (!name.equals(field)) {
                json.add("\"" + name + "\":" + value);
            } else if (rawValue != null) {
                json.add("\"" + name + "\":" + rawValue);
            }
        });
        return json.toString();
    }

    private static Stream<Arguments> everyField() {
        List<Arguments> all = new ArrayList<>();
        VALID.forEach((type, fields) -> fields.keySet().forEach(field -> all.add(Arguments.of(type, field))));
        return all.stream();
    }

    private static Stream<Arguments> everyRequiredField() {
        return everyField().filter(a -> !OPTIONAL.contains(a.get()[0] + "." + a.get()[1]));
    }

    private Frame.Error refusal(String text) {
        FrameCodec.Decoded decoded = codec.decode(text);
        assertThat(decoded.frame()).as("decoding %s", text).isNull();
        return decoded.error();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void shouldAcceptTheSampleFramesTheseTestsBreak(String type) {
        assertThat(codec.decode(with(type, "", null)).error()).isNull();
    }

    private static Stream<String> types() {
        return VALID.keySet().stream();
    }

    // ---- JSON --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"type\":\"ping\",", "{\"type\":\"ping\" \"nonce\":1}", "{'type':'ping'}",
            "{\"type\":\"ping\",\"nonce\":01}", "{\"type\":\"ping\",\"nonce\":NaN}", "{\"type\":\"ping\",}",
            "{\"type\":\"ping\",\"nonce\":1]", "{\"type\":\"pi\nng\"}", "{\"a\":[1,2}"})
    void shouldRefuseMalformedJson(String text) {
        Frame.Error error = refusal(text);

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_JSON);
        assertThat(error.message()).startsWith("malformed JSON");
    }

    @Test
    void shouldSayWhereTheJsonBreaks() {
        assertThat(refusal("{\"type\":\"ping\",x}").message()).contains("column 16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"ping\"", "42", "null", "true"})
    void shouldRefuseJsonThatIsNotAnObject(String text) {
        Frame.Error error = refusal(text);

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_JSON);
        assertThat(error.message()).startsWith("expected a JSON object, got ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void shouldRefuseAnEmptyFrame(String text) {
        Frame.Error error = refusal(text);

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_JSON);
        assertThat(error.message()).contains("empty frame");
    }

    @Test
    void shouldRefuseNullText() {
        assertThat(refusal(null).code()).isEqualTo(ErrorCode.BAD_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"ping\",\"nonce\":1} x", "{\"type\":\"ping\",\"nonce\":1}{}",
            "{\"type\":\"ping\",\"nonce\":1}}", "{\"type\":\"ping\",\"nonce\":1} 5", "{\"type\":\"ping\",\"nonce\":1}\"\""})
    void shouldRefuseTextAfterTheObject(String text) {
        Frame.Error error = refusal(text);

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_JSON);
        assertThat(error.message()).contains("unexpected text after the JSON object");
    }

    @Test
    void shouldRefuseNestingDeeperThanTheLimit() {
        String deep = "[".repeat(FrameCodec.NESTING_DEPTH_MAX) + "]".repeat(FrameCodec.NESTING_DEPTH_MAX);

        assertThat(refusal("{\"type\":\"ping\",\"nonce\":1,\"x\":" + deep + "}").code()).isEqualTo(ErrorCode.BAD_JSON);
        String fits = "[".repeat(FrameCodec.NESTING_DEPTH_MAX - 1) + "]".repeat(FrameCodec.NESTING_DEPTH_MAX - 1);
        assertThat(codec.decode("{\"type\":\"ping\",\"nonce\":1,\"x\":" + fits + "}").ok()).isTrue();
    }

    // ---- size and version ---------------------------------------------------------------------------

    @Test
    void shouldRefuseAFrameLongerThanTheLimitBeforeReadingIt() {
        FrameCodec small = new FrameCodec(30);
        String ping = "{\"type\":\"ping\",\"nonce\":123456}";
        assertThat(ping).hasSize(30);

        assertThat(small.decode(ping).ok()).isTrue();
        Frame.Error error = small.decode(ping + " ").error();
        assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(error.message()).contains("31 characters").contains("at most 30");
        // Not JSON at all, and still refused for its size: the length is checked first.
        assertThat(small.decode("x".repeat(31)).error().code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void shouldRefuseAHugeFrameWithTheDefaultLimit() {
        String body = "a".repeat(FrameCodec.FRAME_CHARS_MAX_DEFAULT);

        assertThat(codec.decode("{\"type\":\"send\",\"chat\":\"c\",\"cmid\":\"m\",\"body\":\"" + body + "\"}").error().code())
                .isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "0", "-1", "\"1\"", "1.0", "null", "true", "[1]", "99999999999999999999"})
    void shouldRefuseAnyVersionButOne(String v) {
        Frame.Error error = refusal("{\"v\":" + v + ",\"type\":\"ping\",\"nonce\":1}");

        assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(error.message()).contains("expected v 1");
    }

    @Test
    void shouldCheckTheVersionBeforeTheType() {
        assertThat(refusal("{\"v\":2,\"type\":\"shout\"}").code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    }

    // ---- type ---------------------------------------------------------------------------------------

    @Test
    void shouldRefuseAnUnknownType() {
        Frame.Error error = refusal("{\"v\":1,\"type\":\"shout\",\"chat\":\"c1\"}");

        assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(error.message()).contains("field 'type'").contains("\"shout\"").contains("'hello'").contains("'error'");
    }

    @Test
    void shouldRefuseAnEmptyTypeAsUnknown() {
        assertThat(refusal("{\"type\":\"\"}").code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
    }

    @Test
    void shouldRefuseAFrameWithoutType() {
        Frame.Error error = refusal("{\"v\":1,\"chat\":\"c1\"}");

        assertThat(error.code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(error.message()).startsWith("field 'type' is missing: expected one of 'hello'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "null", "[\"ping\"]", "{}", "true"})
    void shouldRefuseATypeThatIsNotAString(String type) {
        Frame.Error error = refusal("{\"type\":" + type + "}");

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).startsWith("field 'type': expected a string");
    }

    @Test
    void shouldRefuseATypeOrVersionThatAppearsTwice() {
        assertThat(refusal("{\"type\":\"ping\",\"type\":\"ping\",\"nonce\":1}").message())
                .isEqualTo("field 'type' appears more than once: expected it once");
        assertThat(refusal("{\"v\":1,\"v\":1,\"type\":\"ping\",\"nonce\":1}").code()).isEqualTo(ErrorCode.BAD_FIELD);
    }

    // ---- fields -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("everyRequiredField")
    void shouldRefuseAMissingRequiredFieldNamingIt(String type, String field) {
        Frame.Error error = refusal(with(type, field, null));

        assertThat(error.code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(error.message()).startsWith("field '" + field + "' of '" + type + "' is missing: expected ");
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("everyField")
    void shouldRefuseAFieldHoldingAnObjectNamingIt(String type, String field) {
        Frame.Error error = refusal(with(type, field, "{\"x\":1}"));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).startsWith("field '" + field + "' of '" + type + "': expected ").endsWith("got an object");
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("everyRequiredField")
    void shouldRefuseNullForARequiredField(String type, String field) {
        Frame.Error error = refusal(with(type, field, "null"));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).startsWith("field '" + field + "' of '" + type + "'").endsWith("got null");
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("everyField")
    void shouldRefuseAFieldThatAppearsTwice(String type, String field) {
        String twice = with(type, field, VALID.get(type).get(field) + ",\"" + field + "\":" + VALID.get(type).get(field));

        Frame.Error error = refusal(twice);
        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).isEqualTo("field '" + field + "' of '" + type + "' appears more than once: expected it once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat", "cmid", "from"})
    void shouldRefuseANumberWhereAStringIsNeeded(String field) {
        Frame.Error error = refusal(with("deliver", field, "17"));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).isEqualTo("field '" + field + "' of 'deliver': expected a non-empty string, got 17");
    }

    @Test
    void shouldRefuseABooleanWhereABodyIsNeeded() {
        assertThat(refusal(with("send", "body", "true")).message())
                .isEqualTo("field 'body' of 'send': expected a string, got true");
    }

    @Test
    void shouldRefuseAStringWhereAnIntegerIsNeeded() {
        Frame.Error error = refusal(with("ack", "seq", "\"3\""));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).isEqualTo("field 'seq' of 'ack': expected a positive integer, got \"3\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "1.0", "1e2", "-0.0"})
    void shouldRefuseANonInteger(String seq) {
        Frame.Error error = refusal(with("ack", "seq", seq));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).isEqualTo("field 'seq' of 'ack': expected a positive integer, got " + seq + " (not an integer)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ack", "delivered", "read", "deliver", "receipt", "notify"})
    void shouldRefuseASeqBelowOne(String type) {
        for (String seq : List.of("0", "-1", "-9223372036854775808")) {
            Frame.Error error = refusal(with(type, "seq", seq));

            assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
            assertThat(error.message()).isEqualTo("field 'seq' of '" + type + "': expected a positive integer, got " + seq);
        }
    }

    @Test
    void shouldRefuseNegativeCursors() {
        assertThat(refusal(with("sync", "after_seq", "-1")).message())
                .isEqualTo("field 'after_seq' of 'sync': expected a non-negative integer, got -1");
        assertThat(refusal(with("sync-done", "up_to_seq", "-1")).message())
                .isEqualTo("field 'up_to_seq' of 'sync-done': expected a non-negative integer, got -1");
        assertThat(refusal(with("presence", "last_seen", "-1")).message())
                .startsWith("field 'last_seen' of 'presence': expected a non-negative integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "10001", "2147483648"})
    void shouldRefuseALimitOutsideItsRange(String limit) {
        Frame.Error error = refusal(with("sync", "limit", limit));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).isEqualTo("field 'limit' of 'sync': expected an integer from 1 to 10000, got " + limit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "123456789012345678901234567890"})
    void shouldRefuseANumberTooLargeForALong(String nonce) {
        Frame.Error error = refusal(with("ping", "nonce", nonce));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).isEqualTo("field 'nonce' of 'ping': expected an integer, got " + nonce
                + " (too large for a 64-bit integer)");
    }

    @Test
    void shouldRefuseASeqTooLargeForALong() {
        assertThat(refusal(with("deliver", "seq", "9223372036854775808")).message())
                .isEqualTo("field 'seq' of 'deliver': expected a positive integer, got 9223372036854775808"
                        + " (too large for a 64-bit integer)");
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("everyIdField")
    void shouldRefuseAnEmptyId(String type, String field) {
        Frame.Error error = refusal(with(type, field, "\"\""));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).isEqualTo("field '" + field + "' of '" + type + "': expected a non-empty string, got an empty string");
    }

    private static Stream<Arguments> everyIdField() {
        List<String> ids = List.of("user", "device", "chat", "cmid", "node", "session", "from", "by", "about");
        return everyField().filter(a -> ids.contains((String) a.get()[1]));
    }

    @Test
    void shouldAcceptEmptyBodiesReasonsMessagesAndTokens() {
        assertThat(codec.decode(with("send", "body", "\"\"")).ok()).isTrue();
        assertThat(codec.decode(with("deliver", "body", "\"\"")).ok()).isTrue();
        assertThat(codec.decode(with("fail", "reason", "\"\"")).ok()).isTrue();
        assertThat(codec.decode(with("error", "message", "\"\"")).ok()).isTrue();
        assertThat(codec.decode(with("hello", "token", "\"\"")).ok()).isTrue();
    }

    @Test
    void shouldQuoteALongValueOnlyInPart() {
        String message = refusal(with("ack", "seq", "\"" + "x".repeat(5000) + "\"")).message();

        assertThat(message).hasSizeLessThan(200).contains("xxx...\"");
    }

    // ---- enumerations -------------------------------------------------------------------------------

    @Test
    void shouldRefuseAMembershipOpOutsideItsList() {
        Frame.Error error = refusal(with("membership", "op", "\"join\""));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).isEqualTo("field 'op' of 'membership': expected one of 'add', 'remove', got \"join\"");
    }

    @Test
    void shouldRefuseAViaOutsideItsList() {
        assertThat(refusal(with("deliver", "via", "\"teleport\"")).message())
                .isEqualTo("field 'via' of 'deliver': expected one of 'push', 'sync', 'pull', got \"teleport\"");
    }

    @Test
    void shouldRefuseAReceiptStateOutsideItsList() {
        assertThat(refusal(with("receipt", "state", "\"seen\"")).message())
                .isEqualTo("field 'state' of 'receipt': expected one of 'delivered', 'read', got \"seen\"");
    }

    @Test
    void shouldRefuseAPresenceStateOutsideItsList() {
        assertThat(refusal(with("presence", "state", "\"away\"")).message())
                .isEqualTo("field 'state' of 'presence': expected one of 'online', 'offline', got \"away\"");
    }

    @Test
    void shouldRefuseAnErrorCodeOutsideItsList() {
        Frame.Error error = refusal(with("fail", "code", "\"NOT_A_MEMBER\""));

        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FIELD);
        assertThat(error.message()).startsWith("field 'code' of 'fail': expected one of 'bad-json', 'unknown-type'")
                .endsWith("got \"NOT_A_MEMBER\"");
        assertThat(refusal(with("error", "code", "\"teapot\"")).message()).startsWith("field 'code' of 'error'");
    }

    @Test
    void shouldRefuseEnumsInAnotherCase() {
        assertThat(refusal(with("membership", "op", "\"ADD\"")).code()).isEqualTo(ErrorCode.BAD_FIELD);
    }

    // ---- arrays -------------------------------------------------------------------------------------

    @Test
    void shouldRefuseAWatchedUserThatIsNotAnId() {
        assertThat(refusal(with("watch", "users", "[\"bob\",\"\"]")).message())
                .isEqualTo("field 'users[1]' of 'watch': expected a non-empty string, got an empty string");
        assertThat(refusal(with("watch", "users", "[\"bob\",[\"x\"]]")).message())
                .isEqualTo("field 'users[1]' of 'watch': expected a non-empty string, got an array");
    }

    @Test
    void shouldRefuseUsersThatAreNotAnArray() {
        assertThat(refusal(with("watch", "users", "\"bob\"")).message())
                .isEqualTo("field 'users' of 'watch': expected an array of non-empty strings, got \"bob\"");
    }

    @Test
    void shouldRefuseAChatHeadThatIsNotAnObject() {
        assertThat(refusal(with("welcome", "chats", "[{\"chat\":\"c\",\"last_seq\":0},\"c2\"]")).message())
                .isEqualTo("field 'chats[1]' of 'welcome': expected an object, got \"c2\"");
    }

    @Test
    void shouldRefuseAChatHeadMissingAField() {
        Frame.Error error = refusal(with("welcome", "chats", "[{\"chat\":\"c\"}]"));

        assertThat(error.code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(error.message()).isEqualTo("field 'chats[0].last_seq' of 'welcome' is missing: expected a non-negative integer");
        assertThat(refusal(with("welcome", "chats", "[{\"last_seq\":1}]")).message())
                .startsWith("field 'chats[0].chat' of 'welcome' is missing");
    }

    @Test
    void shouldRefuseAChatHeadWithABadField() {
        assertThat(refusal(with("welcome", "chats", "[{\"chat\":\"c\",\"last_seq\":-1}]")).message())
                .isEqualTo("field 'chats[0].last_seq' of 'welcome': expected a non-negative integer, got -1");
        assertThat(refusal(with("welcome", "chats", "[{\"chat\":\"\",\"last_seq\":1}]")).message())
                .isEqualTo("field 'chats[0].chat' of 'welcome': expected a non-empty string, got an empty string");
        assertThat(refusal(with("welcome", "chats", "[{\"chat\":\"c\",\"last_seq\":1,\"last_seq\":2}]")).message())
                .isEqualTo("field 'chats[0].last_seq' of 'welcome' appears more than once: expected it once");
    }

    @Test
    void shouldReportTheFirstBadChatHead() {
        String chats = "[{\"chat\":\"c\",\"last_seq\":1},{\"chat\":\"d\"},{\"chat\":\"\",\"last_seq\":1}]";

        assertThat(refusal(with("welcome", "chats", chats)).message()).contains("'chats[1].last_seq'");
    }

    @Test
    void shouldIgnoreUnknownFieldsInsideAChatHead() {
        FrameCodec.Decoded decoded = codec.decode(with("welcome", "chats",
                "[{\"muted\":{\"until\":[1]},\"chat\":\"c\",\"last_seq\":1,\"pinned\":true}]"));

        assertThat(decoded.frame()).isEqualTo(new Frame.Welcome("n1", "s1", List.of(new Frame.ChatHead("c", 1))));
    }

    // ---- order of checks ------------------------------------------------------------------------------

    @Test
    void shouldReportTheFirstBadFieldInTheFramesOrder() {
        assertThat(refusal("{\"type\":\"ack\",\"seq\":0,\"chat\":\"\"}").message()).startsWith("field 'chat' of 'ack'");
        assertThat(refusal("{\"type\":\"ack\",\"chat\":\"c\"}").message()).startsWith("field 'cmid' of 'ack' is missing");
    }

    @Test
    void shouldReportBadJsonBeforeAnyFieldProblem() {
        assertThat(refusal("{\"type\":\"ack\",\"seq\":0,}").code()).isEqualTo(ErrorCode.BAD_JSON);
    }

    // ---- encoding refuses what decoding would refuse -----------------------------------------------

    @Test
    void shouldRefuseToEncodeAFrameThatBreaksARule() {
        assertEncodingRefused(new Frame.Ack("c", "m", 0), "field 'seq' of 'ack': expected a positive integer, got 0");
        assertEncodingRefused(new Frame.Send("c", "m", null), "field 'body' of 'send': expected a string, got null");
        assertEncodingRefused(new Frame.Hello("", "d", null), "field 'user' of 'hello': expected a non-empty string, got an empty string");
        assertEncodingRefused(new Frame.Sync("c", -1, 5), "field 'after_seq' of 'sync'");
        assertEncodingRefused(new Frame.Sync("c", 0, 10_001), "field 'limit' of 'sync'");
        assertEncodingRefused(new Frame.PresenceNotice("b", null, -1), "field 'state' of 'presence'");
        assertEncodingRefused(new Frame.PresenceNotice("b", dev.chatlab.core.history.HistoryEvent.PresenceState.ONLINE, -2),
                "field 'last_seen' of 'presence'");
        assertEncodingRefused(new Frame.Welcome("n", "s", List.of(new Frame.ChatHead("c", -1))),
                "field 'chats[0].last_seq' of 'welcome'");
        assertEncodingRefused(new Frame.Watch(List.of("a", "")), "field 'users[1]' of 'watch'");
        assertEncodingRefused(new Frame.Error(null, "x"), "field 'code' of 'error'");
    }

    private void assertEncodingRefused(Frame frame, String message) {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> codec.encode(frame))
                .withMessageContaining(message);
    }
}
