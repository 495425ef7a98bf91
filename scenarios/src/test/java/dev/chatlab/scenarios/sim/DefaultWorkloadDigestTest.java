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
 * (The two chaos-swarm digests were recorded again when issue 12 changed the protocol's answers
 * under failover, e.g. a resend no longer pushed again: same verdict, same counts but one receipt.)
 */
class DefaultWorkloadDigestTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "smoke, 1, 2e9cdc0c17778d82692312889be86526c8559fd3795e8e7d5e73f945bf548019",
            "chaos-swarm, 1, 02c82bc37b3085e6ec5bea4016276e77f8738cc904951a6b6ad5826cc26c0085",
            "chaos-swarm, 7, 1c1fa58ee33737adc7f9bff4ff73cf9559f62f69cbff15a6b898997ab273eb20",
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
