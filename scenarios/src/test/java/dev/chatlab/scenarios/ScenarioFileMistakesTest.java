package dev.chatlab.scenarios;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Mistakes a newcomer makes in a scenario file, each refused with the file, line, column and what was expected. */
class ScenarioFileMistakesTest {

    private static ScenarioException failure(String text) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.parse("test.yaml", "test", text));
        assertThat(e).as("expected %s to be refused", text).isNotNull();
        return e;
    }

    @Test
    void shouldNameAnUnclosedBraceWhoseCollectionSwallowsTheNextKey() {
        // Without the brace the parser reads 'nodes' as "3 workload" and blames the integer.
        ScenarioException e = failure("name: a\nduration: 5s\ntopology: {nodes: 3\nworkload: {messages_per_second: 5}\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(11);
        assertThat(e.getMessage()).startsWith("test.yaml:3:11: the '{' opened here (a flow mapping) is never closed:"
                + " expected '}' (or ',' and another entry) before the end of the file (line 4)");
    }

    @Test
    void shouldNameAnUnclosedBraceInAListOfFaults() {
        ScenarioException e = failure("name: a\nduration: 5s\nfaults:\n  - {at: 1s, kill: n2\n  - {at: 2s, restart: n2}\n");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(5);
        assertThat(e.getMessage()).contains("the '{' opened here (a flow mapping) is never closed: expected '}'");
    }

    @Test
    void shouldNameAnUnclosedBracket() {
        ScenarioException e = failure("name: a\nduration: 5s\nfaults: [\n  {at: 1s, kill: n2},\n  {at: 2s, restart: n2}\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(9);
        assertThat(e.getMessage()).contains("the '[' opened here (a flow sequence) is never closed: expected ']'");
    }

    @Test
    void shouldNameTheBracketAMismatchedCloserWasMeantFor() {
        ScenarioException e = failure("name: a\nduration: 5s\nfaults: [{at: 1s, kill: n2]\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(27);
        assertThat(e.getMessage()).contains("expected '}' to close the '{' opened at line 3, column 10 (a flow mapping), got ']'");
    }

    @Test
    void shouldLeaveBracketsInTextCommentsAndQuotesAlone() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("test.yaml", "test", """
                name: brackets-in-text   # a comment with [ and {
                duration: 5s
                faults: [{at: 1s, kill: "n2"}, {at: 2s, restart: 'n2'}]
                """);
        assertThat(s.durationMicros()).isEqualTo(5_000_000);
    }

    @Test
    void shouldLoadEveryLibraryFileWithTheBracketCheckOn() throws IOException, ScenarioException {
        int files = 0;
        try (DirectoryStream<Path> library = Files.newDirectoryStream(Path.of("library"), "*.yaml")) {
            for (Path file : library) {
                FlowBrackets.check(file.toString(), Files.readString(file));
                files++;
            }
        }
        assertThat(files).isPositive();
    }

    @Test
    void shouldRefuseACoarseClusterWithoutRoomForEveryDevice() {
        ScenarioException e = failure("""
                name: under
                level: coarse
                duration: 60s
                topology: {nodes: 11}
                population: {users: 1000000, devices_per_user: 1, chats: 1000, group_size: 8}
                coarse:
                  connections_per_server: 50000
                """);
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).contains("coarse.connections_per_server: expected room for every device: 11 nodes x"
                + " 50,000 connections per server hold 550,000, but the population has 1,000,000 devices (1,000,000 users x 1);"
                + " set topology.nodes to at least 20 or raise coarse.connections_per_server");
    }
}
