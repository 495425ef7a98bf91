package dev.chatlab.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A local worker process of {@link WorkerPool}: {@code RunWorker SCENARIO_FILE ENGINE} reads one
 * run a line on standard input ({@code {"seed": 3, "dir": "...", "flags": ["client.reconnect=jitter"]}}),
 * makes it with {@link ScenarioRunner#runLogged} and answers one line
 * {@code chatlab-worker-result {"exit": 0, "error": null}}. Anything else a library prints goes to
 * standard error, so it cannot be taken for an answer. It ends when its input does.
 */
public final class RunWorker {

    /** What starts an answer line. */
    static final String RESULT = "chatlab-worker-result ";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private RunWorker() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Path file = Path.of(args[0]);
        ScenarioRunner.Engine engine = ScenarioRunner.Engine.parse(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode task = JSON.readTree(line);
            List<String> flags = new ArrayList<>();
            task.path("flags").forEach(f -> flags.add(f.asText()));
            Path dir = Path.of(task.path("dir").asText());
            ScenarioRunner.Outcome outcome;
            try {
                Scenario scenario = ScenarioLoader.load(file, flags);
                outcome = ScenarioRunner.runLogged(file, scenario, task.path("seed").asLong(), engine, dir);
            } catch (ScenarioException e) {
                outcome = new ScenarioRunner.Outcome(ScenarioRunner.BAD_INPUT, dir, e.getMessage());
            }
            ObjectNode answer = JSON.createObjectNode();
            answer.put("exit", outcome.exitCode());
            answer.put("error", outcome.error());
            answers.println(RESULT + JSON.writeValueAsString(answer));
        }
    }

    /** The task line for a run. */
    static String task(RunTask t) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("seed", t.seed());
        node.put("dir", t.dir().toString());
        node.set("flags", JSON.valueToTree(t.flags()));
        return JSON.writeValueAsString(node);
    }

    /** The outcome in an answer line (after {@link #RESULT}). */
    static ScenarioRunner.Outcome answer(String json, Path dir) throws IOException {
        JsonNode node = JSON.readTree(json);
        JsonNode error = node.get("error");
        return new ScenarioRunner.Outcome(node.path("exit").asInt(), dir, error == null || error.isNull() ? null : error.asText());
    }
}
