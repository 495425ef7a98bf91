package dev.chatlab.cli;

import dev.chatlab.experiments.RunWorker;
import dev.chatlab.experiments.ScenarioRunner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;

/**
 * {@code chatlab worker --join HOST:PORT}: makes the runs an experiment ({@link RemotePool}) hands
 * it, one at a time, in this process's working folder, and sends each run's folder back. The
 * scenario file comes with each run: one already at its path with the same text is used as it is,
 * a missing one is written there first, so that paths in the run's files are the experiment's.
 * Ends when the experiment closes its connection.
 *
 * <pre>{@code
 * int runs = RemoteWorker.serve("127.0.0.1", 4200, 60, System.err);   // what chatlab worker --join runs
 * }</pre>
 */
final class RemoteWorker {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private RemoteWorker() {
    }

    /**
     * Connects (trying again for up to {@code connectSeconds} while the experiment is not yet
     * listening) and makes runs until the experiment ends; returns how many it made.
     */
    public static int serve(String host, int port, int connectSeconds, PrintStream log) throws IOException, InterruptedException {
        Socket socket = connect(host, port, connectSeconds);
        int runs = 0;
        try (socket;
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
            ObjectNode hello = JSON.createObjectNode();
            hello.put("host", java.net.InetAddress.getLocalHost().getHostName());
            hello.put("pid", ProcessHandle.current().pid());
            out.write(JSON.writeValueAsString(hello) + "\n");
            out.flush();
            log.println("worker: joined " + host + ":" + port);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode task = JSON.readTree(line);
                out.write(JSON.writeValueAsString(runOne(task, log)) + "\n");
                out.flush();
                runs++;
            }
        }
        log.println("worker: the experiment ended; " + runs + " runs made");
        return runs;
    }

    private static Socket connect(String host, int port, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(host, port), 5_000);
                return s;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no experiment listens on " + host + ":" + port + " (" + e.getMessage() + ")", e);
                }
                Thread.sleep(500);
            }
        }
    }

    private static ObjectNode runOne(JsonNode task, PrintStream log) throws IOException {
        Path file = Path.of(task.path("scenario").asText());
        String text = task.path("scenario_text").asText();
        Path dir = Path.of(task.path("dir").asText());
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Written whole then moved into place: workers sharing a folder may write it at once.
            Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), ".scenario", ".part");
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        ScenarioRunner.Outcome outcome;
        if (!Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            outcome = new ScenarioRunner.Outcome(ScenarioRunner.BAD_INPUT, dir, "the scenario file " + file
                    + " on this worker differs from the experiment's: run the worker from another folder");
        } else {
            log.println("worker: seed " + task.path("seed").asLong() + " into " + dir);
            outcome = RunWorker.make(file, task, ScenarioRunner.Engine.parse(task.path("engine").asText("sim")));
        }
        ObjectNode answer = RunWorker.answerJson(outcome);
        ObjectNode files = answer.putObject("files");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                    files.put(dir.relativize(p).toString().replace('\\', '/'), Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
                }
            }
        }
        return answer;
    }
}
