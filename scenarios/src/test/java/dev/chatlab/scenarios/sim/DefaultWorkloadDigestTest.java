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
 * byte for byte.
 */
class DefaultWorkloadDigestTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, f30063cd94534f123d9ecfe35f36f356720072296b26196d55176c2e1eecd59d",
            "chaos-swarm, 1, 7caa70f7ab2d8ef226e40d1694423bed11278bede2107487022f99b55f988746",
            "chaos-swarm, 7, 37a886a870c303655be084ff8aab3d15d6cffdefa1dc18e5d77ad78e82e048e1",
            "multi-device-sync, 1, d47902f5ec39e4f107102260f94a06d5281313d7536dce3aba5426d57a04702c",
            "mega-group-pull, 1, a6de433e554f4d122958f238db51052f61ec8dbffbf546e8445bdc7c8d278329"})
    void shouldKeepTheHistoryOfALibraryFileWithoutTheNewKeysByteIdentical(String name, long seed, String digest)
            throws Exception {
        assertThat(digest(ScenarioLoader.load(Path.of("library", name + ".yaml")), name, seed)).isEqualTo(digest);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, cdb30daafacf86f5af61226a34a2f9b60e584edc44247835131079b7f0aeddf5",
            "chaos-swarm, 1, 0b9c6992848515671aa21d5ca3533284d1a81ece50c0213e4814ff42f6cae007",
            "chaos-swarm, 7, 2fade8da4739e1be2dc9a68c76047641476641d5e898f57d65e88e07996df197",
            "multi-device-sync, 1, fb767a73ae80e432ddf75177c932a58d629a3ba10ab0e5a1259f0b5f18c8be9e",
            "mega-group-pull, 1, c414640fd8f653def0311d9bd92120b0fe35e2118ef4711040d954ff1e7476dd"})
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
