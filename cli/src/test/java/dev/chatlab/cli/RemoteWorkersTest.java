package dev.chatlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An experiment's runs made by three worker processes on loopback, one of them killed with
 * SIGKILL in the middle of a run: that run is handed to another worker, every run is counted once,
 * and every file is the same bytes as a one-process run's.
 */
class RemoteWorkersTest {

    private static final String SMOKE = "../scenarios/library/smoke.yaml";

    @Test
    void shouldFinishEveryRunOnceAfterAWorkerIsKilledMidRunWithTheBytesOfAOneProcessRun(@TempDir Path dir) throws Exception {
        String[] experiment = {"compare", SMOKE, "--vary", "client.reconnect=backoff,immediate", "--seeds", "3",
            "--metric", "p99(send_to_ack)", "--out"};
        Captured one = Captured.execute(concat(experiment, dir.resolve("one").toString()));
        assertThat(one.exit()).as(one.err()).isEqualTo(Chatlab.OK);

        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        // The coordinator writes the runs its workers send back; the workers run in folders of their own.
        Path remote = dir.resolve("remote");
        CompletableFuture<Captured> coordinator = CompletableFuture.supplyAsync(() ->
                Captured.execute(concat(experiment, remote.toString(), "--listen", String.valueOf(port))));
        List<Process> workers = new ArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        try {
            for (int w = 1; w <= 3; w++) {
                Path home = Files.createDirectories(dir.resolve("worker-" + w).resolve("cli"));
                Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                        System.getProperty("java.class.path"), "dev.chatlab.cli.Chatlab", "worker", "--join", "127.0.0.1:" + port)
                        .directory(home.toFile()).redirectErrorStream(true).start();
                workers.add(p);
                boolean victim = w == 1;
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            if (victim && line.startsWith("worker: seed") && killed.compareAndSet(false, true)) {
                                p.destroyForcibly(); // SIGKILL, in the middle of its first run
                            }
                        }
                    } catch (java.io.IOException e) {
                        // the process is gone
                    }
                });
                reader.setDaemon(true);
                reader.start();
            }
            Captured c = coordinator.get(180, TimeUnit.SECONDS);
            assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);
            assertThat(killed).isTrue();
            assertThat(c.err()).contains("went away during seed").contains("the run goes back to the queue");
            JsonNode comparison = new ObjectMapper().readTree(remote.resolve("comparison.json").toFile());
            assertThat(comparison.path("runs")).hasSize(6);
        } finally {
            workers.forEach(Process::destroyForcibly);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir.resolve("one"))) {
            // console.txt names the run's own folder, which differs between the two experiments by construction
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("console.txt"))
                    .sorted(Comparator.naturalOrder()).toList();
        }
        assertThat(files).hasSizeGreaterThan(6 * 5);
        for (Path f : files) {
            Path other = remote.resolve(dir.resolve("one").relativize(f));
            assertThat(Files.mismatch(f, other)).as(other.toString()).isEqualTo(-1L);
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
