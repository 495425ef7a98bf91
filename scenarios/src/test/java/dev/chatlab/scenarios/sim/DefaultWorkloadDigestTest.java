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
            "smoke, 1, 1e56ee7f589f7da59de1505e3956be18fefcfdc2ea7817083b0671c30e2ba21d",
            "chaos-swarm, 1, d4fd29ffc10b2ccd672e8ec6433e83bb8135181b52403dcf4d341bd99d9bf3cc",
            "chaos-swarm, 7, a18fe451ab19fcebbef4b7403a8031a42afccf2da7ccbab108eea15954270b22",
            "multi-device-sync, 1, 3b599667bd7e3f485fc7864fa716ee4f57bf647d9f6eea8656f1afcb3592b5ed",
            "mega-group-pull, 1, b56ec7b80df7cfda2eabf3d627b81841c5e14e44be60f8f000bac0f230d0583a"})
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
