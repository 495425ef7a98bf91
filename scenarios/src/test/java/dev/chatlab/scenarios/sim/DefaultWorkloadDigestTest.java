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
 * the catch-up of connected devices; a receipt goes to the senders of the messages it covers).
 */
class DefaultWorkloadDigestTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, cdb30daafacf86f5af61226a34a2f9b60e584edc44247835131079b7f0aeddf5",
            "chaos-swarm, 1, 0b9c6992848515671aa21d5ca3533284d1a81ece50c0213e4814ff42f6cae007",
            "chaos-swarm, 7, 2fade8da4739e1be2dc9a68c76047641476641d5e898f57d65e88e07996df197",
            "multi-device-sync, 1, fb767a73ae80e432ddf75177c932a58d629a3ba10ab0e5a1259f0b5f18c8be9e",
            "mega-group-pull, 1, c414640fd8f653def0311d9bd92120b0fe35e2118ef4711040d954ff1e7476dd"})
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
