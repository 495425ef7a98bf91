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
 * nothing when a file leaves them out: these digests were recorded before the keys existed.
 */
class DefaultWorkloadDigestTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, 2e9cdc0c17778d82692312889be86526c8559fd3795e8e7d5e73f945bf548019",
            "chaos-swarm, 1, ec5af2e2ba36c7c503fff51d0a58bd220899e4d8be7070a37ae14c64fb16df80",
            "chaos-swarm, 7, ec2e1f7e127c6ad90c6f6c3bb25265734ae478f2c094f43ef4de2764f6340c59",
            "multi-device-sync, 1, a9453229f931f61d386b4ba43c01cdd1950312c4771f0bfba53f2fa0f8f3e9cb",
            "mega-group-pull, 1, 1b94aa82a3a0f0cf3f82a12525aca0cdd49fbd39f89616b10c0cd7a3bbbca3ad"})
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
