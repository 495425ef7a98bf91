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
            ObjectNode answer = answerJson(make(file, JSON.readTree(line), engine));
            answers.println(RESULT + JSON.writeValueAsString(answer));
        }
    }

    /**
     * Makes the run a task names ({@code seed}, {@code dir}, {@code flags}) of {@code file} on
     * {@code engine}: a local worker's and a remote one's run alike.
     */
    public static ScenarioRunner.Outcome make(Path file, JsonNode task, ScenarioRunner.Engine engine) throws IOException {
        List<String> flags = new ArrayList<>();
        task.path("flags").forEach(f -> flags.add(f.asText()));
        Path dir = Path.of(task.path("dir").asText());
        // A task of an experiment that varies the engine names its own.
        ScenarioRunner.Engine own = ScenarioRunner.Engine.parse(task.path("engine").asText(""));
        try {
            Scenario scenario = ScenarioLoader.load(file, flags);
            return ScenarioRunner.runLogged(file, scenario, task.path("seed").asLong(), own != null ? own : engine, dir,
                    task.path("full_size").asBoolean(false));
        } catch (ScenarioException e) {
            return new ScenarioRunner.Outcome(ScenarioRunner.BAD_INPUT, dir, e.getMessage());
        }
    }

    /** A run as a task object; a remote pool adds what a worker elsewhere needs besides. */
    public static ObjectNode taskJson(RunTask t) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seed", t.seed());
        node.put("dir", t.dir().toString());
        node.set("flags", JSON.valueToTree(t.flags()));
        node.put("engine", t.engine().word());
        node.put("full_size", t.fullSize());
        return node;
    }

    /** The task line for a run. */
    static String task(RunTask t) throws IOException {
        return JSON.writeValueAsString(taskJson(t));
    }

    /** An outcome as an answer object ({@code exit}, {@code error}). */
    public static ObjectNode answerJson(ScenarioRunner.Outcome outcome) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("exit", outcome.exitCode());
        answer.put("error", outcome.error());
        return answer;
    }

    /** The outcome in an answer line (after {@link #RESULT}). */
    static ScenarioRunner.Outcome answer(String json, Path dir) throws IOException {
        return outcome(JSON.readTree(json), dir);
    }

    /** The outcome an answer object gives for the run into {@code dir}. */
    public static ScenarioRunner.Outcome outcome(JsonNode answer, Path dir) {
        JsonNode error = answer.get("error");
        return new ScenarioRunner.Outcome(answer.path("exit").asInt(), dir, error == null || error.isNull() ? null : error.asText());
    }
}
