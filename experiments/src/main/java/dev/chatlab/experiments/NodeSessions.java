package dev.chatlab.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Sessions each node holds at the end of a run, from its history ({@code connect} opens a
 * device's session on a node, {@code disconnect} closes it): after a kill, how the herd spread
 * over the survivors. Both engines write the same history, so the same reader serves them.
 *
 * <pre>{@code
 * Map<String, Long> perNode = NodeSessions.atEnd(runDir);   // {n1=1010, n3=990}; empty without a history
 * }</pre>
 */
final class NodeSessions {

    static final String HISTORY = "history.jsonl.gz";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private NodeSessions() {
    }

    /** Open sessions by node (nodes holding none are left out); empty when the run wrote no history. */
    static Map<String, Long> atEnd(Path runDir) throws IOException {
        Path file = runDir.resolve(HISTORY);
        Map<String, Long> out = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        Map<String, String> nodeOf = new TreeMap<>();
        try (InputStream raw = Files.newInputStream(file);
             BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                // Most lines are messages; a cheap look first saves parsing them.
                if (!line.contains("connect\"")) {
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                String type = e.path("type").asText();
                String device = e.path("user").asText() + "/" + e.path("device").asText();
                if (type.equals("connect")) {
                    nodeOf.put(device, e.path("node").asText());
                } else if (type.equals("disconnect")) {
                    nodeOf.remove(device);
                }
            }
        }
        for (String node : nodeOf.values()) {
            out.merge(node, 1L, Long::sum);
        }
        return out;
    }
}
