package dev.chatlab.core.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/protocol.md} true to the codec: every example frame in a {@code json} block
 * decodes and is exactly what the codec writes for it, and the error messages it quotes are the
 * ones the codec gives.
 */
class ProtocolDocTest {

    private static final Path DOC = Path.of("..", "docs", "protocol.md");

    private final FrameCodec codec = new FrameCodec();

    private static String doc() throws IOException {
        assertThat(DOC).as("the protocol documentation, from the chat-core module's directory").exists();
        return Files.readString(DOC);
    }

    private static List<String> jsonExampleLines(String doc) {
        List<String> lines = new ArrayList<>();
        boolean inJson = false;
        for (String line : doc.split("\n", -1)) {
            if (line.startsWith("```")) {
                inJson = line.equals("```json");
            } else if (inJson && !line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void shouldShowOnlyExamplesThatTheCodecWritesExactlyThatWay() throws IOException {
        List<String> examples = jsonExampleLines(doc());

        assertThat(examples).hasSizeGreaterThan(20);
        for (String example : examples) {
            FrameCodec.Decoded decoded = codec.decode(example);
            assertThat(decoded.error()).as(example).isNull();
            assertThat(codec.encode(decoded.frame())).isEqualTo(example);
        }
    }

    @Test
    void shouldShowAnExampleOfEveryFrameType() throws IOException {
        List<String> types = new ArrayList<>();
        for (String example : jsonExampleLines(doc())) {
            types.add(codec.decode(example).frame().type());
        }

        assertThat(types).containsAll(List.of(WireRules.TYPES));
    }

    @Test
    void shouldQuoteTheCodecsOwnErrorMessages() throws IOException {
        String doc = doc();
        String[] badFrames = {
            "{\"type\":\"ack\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":0}",
            "{\"type\":\"send\",\"chat\":\"c\",\"body\":\"\"}",
            "{\"type\":\"membership\",\"chat\":\"c\",\"user\":\"u\",\"op\":\"join\"}",
            "{\"type\":\"welcome\",\"node\":\"n\",\"session\":\"s\",\"chats\":[{\"chat\":\"c\",\"last_seq\":0},"
                    + "{\"chat\":\"d\",\"last_seq\":-1}]}",
            "{\"type\":\"ping\",\"nonce\":9223372036854775808}",
            "{\"type\":\"ack\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":1,\"seq\":1}",
            "{\"v\":2,\"type\":\"ping\",\"nonce\":1}",
            "{\"type\":\"ping\",\"nonce\":1} {}",
            sendOfLength(70_000),
        };
        for (String bad : badFrames) {
            String message = codec.decode(bad).error().message();

            assertThat(doc).as("the doc quotes %s", message).contains(message);
        }
        assertThat(doc).contains("| frame length | " + String.format("%,d", FrameCodec.FRAME_CHARS_MAX_DEFAULT));
        assertThat(doc).contains(FrameCodec.NESTING_DEPTH_MAX + " levels");
        assertThat(doc).contains(String.format("%,d", FrameCodec.NUMBER_CHARS_MAX) + ", in any field");
        assertThat(doc).contains("1 to " + String.format("%,d", FrameCodec.SYNC_LIMIT_MAX));
    }

    private static String sendOfLength(int length) {
        String frame = "{\"type\":\"send\",\"chat\":\"c\",\"cmid\":\"m\",\"body\":\"\"}";
        return frame.replace("\"body\":\"\"", "\"body\":\"" + "x".repeat(length - frame.length()) + "\"");
    }

    @Test
    void shouldListEveryErrorCode() throws IOException {
        String doc = doc();

        for (ErrorCode code : ErrorCode.values()) {
            assertThat(doc).contains("| `" + code.wire() + "` |");
        }
    }
}
