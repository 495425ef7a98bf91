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
            "smoke, 1, 7eda285caf4f786cc6f88cb1d9cbfe100a1b7adf8b77cbe2f37dd3e913d5de41",
            "chaos-swarm, 1, afafd4b98cd204bce7c37568af40aa0a503a82dc0d1ae5a0ba1ca7214367d54b",
            "chaos-swarm, 7, 8edd0c44e04bb2672ba249138c898d827932bfb01ebc812b5432a05b7eec6730",
            "multi-device-sync, 1, 4a82141ead1cc0f8a281aad31ab0ca5da2bef01c1660a2f63904dd2130176695",
            "mega-group-pull, 1, f5c62ff81e0fcc46d20ecb71a83373a30166ecfd1f21ecd2698c260884d0d51b"})
    void shouldKeepTheHistoryOfALibraryFileWithoutTheNewKeysByteIdentical(String name, long seed, String digest)
            throws Exception {
        assertThat(digest(ScenarioLoader.load(Path.of("library", name + ".yaml")), name, seed)).isEqualTo(digest);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, ea5e79abfced16b79a46cba4e1c7835e800389492e1b6358666c2e554cd56340",
            "chaos-swarm, 1, fb80a4a79cc1d0f0423ce0e1be52f6655286afba2bb5cf0896dfd1f929911a1e",
            "chaos-swarm, 7, f4ddb77abdd85017de2cc8840672439501fb210c6a022690741725df9024ac48",
            "multi-device-sync, 1, f78d3d2c60a2a19df4f74364ee1498e600af4dcbd0e3553d81acfd38334ae2cc",
            "mega-group-pull, 1, 9c8040aa126149f3ac9bd9240e9e3b7ce58a96eece53e6a8393a3445fd6d0a0d"})
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
