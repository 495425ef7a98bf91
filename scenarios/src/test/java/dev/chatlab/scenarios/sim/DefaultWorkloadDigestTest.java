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
            "smoke, 1, 8f7bff3dc652323d5ffdf10df44bb12e7fb5102f136ff5248baca5ed6c68264e",
            "chaos-swarm, 1, 4eb1f1cb524b7ccb98e53d81c07ce37735ec45c4ea3111a48bdb9e7280aa8dea",
            "chaos-swarm, 7, 2341eac64152dc2fd2df2ae7689fe2cd6f50f5322bb636b624a33713f32f5b91",
            "multi-device-sync, 1, b7b94e880a958138e1b10a5a3085871e0d909341b888bc66d44f1046b6e4f1a6",
            "mega-group-pull, 1, 59454c2afb52e48610ab1411f9ff0c48e6fd8a1897b017efbe5a60df00183455"})
    void shouldKeepTheHistoryOfALibraryFileWithoutTheNewKeysByteIdentical(String name, long seed, String digest)
            throws Exception {
        assertThat(digest(ScenarioLoader.load(Path.of("library", name + ".yaml")), name, seed)).isEqualTo(digest);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, 9b25486b889aae66b29e7f93f652896735a5c210e59bc3d9546ceb655da91b4c",
            "chaos-swarm, 1, 45be48461859a99b42e4f9c9b496a53b95554f6c92f05724c9d49005ef236133",
            "chaos-swarm, 7, 8d9e2c9f4fbb3b8aa5614a759ddfa3bd96f9ac434ce577f9ad6397ba2f93e673",
            "multi-device-sync, 1, c21762f2b3d1b85ace6b8af8c54e4b013a173a810e067e3b55f5f34a160b7f35",
            "mega-group-pull, 1, a9b77e6e34f98802e2db83b6eba58b89afbbdb0e70cbd0e9600c5d8ecac385ba"})
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
