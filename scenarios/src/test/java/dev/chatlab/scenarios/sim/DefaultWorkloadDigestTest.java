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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optional workload keys (diurnal rate, Zipf activity and group sizes, think time) change
 * nothing when a file leaves them out: these digests were recorded before the keys existed, and
 * recorded again when the protocol changed (issue 12: a resend no longer pushes again; issue 20:
 * the catch-up of connected devices; a receipt goes to the senders of the messages it covers).
 * Issue 17 gave the full level's nodes costs by default (models/local-node.yaml): every history
 * changed, so the digests of the default were recorded again, and the digests of before are kept
 * for the same files with {@code server.costs: none}, which must give the free work of before,
 * byte for byte. Both were recorded again when the node's costs were measured anew (the default)
 * and a device refused by a node started trying another at once, as a real run's fleet does (the
 * files with a kill: smoke, chaos-swarm 1, mega-group-pull, also with free work).
 */
class DefaultWorkloadDigestTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, c6b85ad6c2a08dc6d93f55897dcb1819c3bdc1c700df2292b66e6a412047c4c0",
            "chaos-swarm, 1, 997e823de3cf3e03fd192dca052f75cc0ad9fdc46c53ba82fec57fd4ba2f02ad",
            "chaos-swarm, 7, 0cdd96ed78e44525402f70c2f8c25d64aa1bbff9c7cf9d8e3015b46e6dd17d41",
            "multi-device-sync, 1, 3035ae775910e9d0ed1fc9feeeabc4dc4e88dc08e6fdd80c65d2abc4a5729f99",
            "mega-group-pull, 1, c5aeb6ca0a927180f7af727cad11976d79d092d04d1286525aac2a054474219c"})
    void shouldKeepTheHistoryOfALibraryFileWithoutTheNewKeysByteIdentical(String name, long seed, String digest)
            throws Exception {
        assertThat(digest(ScenarioLoader.load(Path.of("library", name + ".yaml")), name, seed)).isEqualTo(digest);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, 65767ca14dc5da03b171f1d0ce8bfd0ac85f679e308acecf1dc00462e16d5a48",
            "chaos-swarm, 1, ad603af8308d37bc2f7772381b509cf1bbdf5b031d1976ec2f6bcb0f47bbad30",
            "chaos-swarm, 7, 2fade8da4739e1be2dc9a68c76047641476641d5e898f57d65e88e07996df197",
            "multi-device-sync, 1, fb767a73ae80e432ddf75177c932a58d629a3ba10ab0e5a1259f0b5f18c8be9e",
            "mega-group-pull, 1, b6e26cca0f2314484a121018f11f03c5e054e7b0e66134adb85c249ad5c370ed"})
    void shouldKeepTheHistoryOfBeforeCostsByteIdenticalWhenTheNodesWorkIsFree(String name, long seed, String digest)
            throws Exception {
        Scenario free = ScenarioLoader.load(Path.of("library", name + ".yaml"), List.of("server.costs=none"));
        assertThat(digest(free, name + "-free", seed)).isEqualTo(digest);
    }

    private String digest(Scenario scenario, String name, long seed) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        SimRun.run(scenario, seed, dir.resolve(name), quiet, quiet);
        byte[] history = Files.readAllBytes(dir.resolve(name).resolve("history.jsonl.gz"));
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(history));
    }
}
