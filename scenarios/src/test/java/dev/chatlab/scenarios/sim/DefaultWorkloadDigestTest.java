package dev.chatlab.scenarios.sim;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optional workload keys (diurnal rate, Zipf activity and group sizes, think time) change
 * nothing when a file leaves them out: these digests were recorded before the keys existed, and
 * recorded again when the protocol changed (issue 12: a resend no longer pushes again; issue 20:
 * the catch-up of connected devices).
 */
class DefaultWorkloadDigestTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, 9e9e1f199ae141807de9cea4ff5f63a08ccaf43356047a0fb8b387c998a803f6",
            "chaos-swarm, 1, 044b268043bd8870c0a2b8a3a21bb43f564986d03b02294b08f2e6eb5723db57",
            "chaos-swarm, 7, e9ecfd1d8939044b6d68612f9cb63a4e188dd67659831324fdb375bd119414d8",
            "multi-device-sync, 1, 3b599667bd7e3f485fc7864fa716ee4f57bf647d9f6eea8656f1afcb3592b5ed",
            "mega-group-pull, 1, fe00d55723a84d8dcf43c39a8406281dd51abe1279975ff242eca5f5911662f6"})
    void shouldKeepTheHistoryOfALibraryFileWithoutTheNewKeysByteIdentical(String name, long seed, String digest)
            throws Exception {
        Scenario scenario = ScenarioLoader.load(Path.of("library", name + ".yaml"));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        SimRun.run(scenario, seed, dir.resolve(name), quiet, quiet);
        byte[] history = Files.readAllBytes(dir.resolve(name).resolve("history.jsonl.gz"));
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(history));
        assertThat(actual).isEqualTo(digest);
    }
}
