package dev.chatlab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cell of the variant matrix: a value for every varied key, applied as {@code --set} flags
 * after the experiment's own. Variants are numbered from 1 in the matrix's order (the last axis
 * varies fastest); the first is the baseline every other is compared with.
 *
 * @param number   1-based
 * @param settings key to value (YAML text), in the axes' order
 */
public record Variant(int number, Map<String, String> settings) {

    /**
     * The one varied key that is not a scenario key: where the run happens ({@code --vary
     * engine=sim,real}). It is no {@code --set} flag; the run is made on that engine.
     */
    public static final String ENGINE_KEY = "engine";

    /**
     * The scenario key that picks the simulator's level; varied as {@code level=coarse,full}, the
     * comparison holds the coarse level against the full one ({@link FidelityGap}).
     */
    public static final String LEVEL_KEY = "level";

    /** Every combination of the axes' values, the first axis's first value first. */
    public static List<Variant> matrix(List<VaryAxis> axes) {
        List<Map<String, String>> cells = new ArrayList<>();
        cells.add(new LinkedHashMap<>());
        for (VaryAxis axis : axes) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> cell : cells) {
                for (String value : axis.values()) {
                    Map<String, String> grown = new LinkedHashMap<>(cell);
                    grown.put(axis.key(), value);
                    next.add(grown);
                }
            }
            cells = next;
        }
        List<Variant> out = new ArrayList<>();
        for (Map<String, String> cell : cells) {
            out.add(new Variant(out.size() + 1, cell));
        }
        return out;
    }

    /** {@code v2}. */
    public String id() {
        return "v" + number;
    }

    /** {@code client.reconnect=jitter client.jitter_window=5s}, or {@code (as the file is)} with nothing varied. */
    public String label() {
        if (settings.isEmpty()) {
            return "(as the file is)";
        }
        List<String> parts = new ArrayList<>();
        settings.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    /** The {@code --set} flags of this variant (its engine is none). */
    public List<String> overrides() {
        List<String> out = new ArrayList<>();
        settings.forEach((k, v) -> {
            if (!k.equals(ENGINE_KEY)) {
                out.add(k + "=" + v);
            }
        });
        return out;
    }

    /** The engine this variant runs on: its own when the engine is varied, else the experiment's. */
    public ScenarioRunner.Engine engine(ScenarioRunner.Engine experiments) {
        String word = settings.get(ENGINE_KEY);
        return word == null ? experiments : ScenarioRunner.Engine.parse(word);
    }

    /** The settings but the engine: two variants with the same are the same world in two engines. */
    public Map<String, String> world() {
        Map<String, String> out = new LinkedHashMap<>(settings);
        out.remove(ENGINE_KEY);
        return out;
    }

    /** A folder name that says what the variant is: {@code v2-jitter-5s}. */
    public String folder() {
        StringBuilder out = new StringBuilder(id());
        for (String value : settings.values()) {
            String word = value.replaceAll("[^A-Za-z0-9.]+", "_").replaceAll("^_+|_+$", "");
            out.append('-').append(word.length() > 24 ? word.substring(0, 24) : word);
        }
        return out.toString();
    }
}
