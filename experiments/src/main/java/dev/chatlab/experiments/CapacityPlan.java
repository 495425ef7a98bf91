package dev.chatlab.experiments;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;
import dev.chatlab.scenarios.sim.SimRun;
import dev.chatlab.scenarios.slo.Slo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code chatlab capacity} searches, checked before any run: the scenario with its
 * {@code --set} flags, the key and its whole-number range, which way to search, the extra SLOs
 * ({@code --slo}, added to the file's own), the seeds every probe must pass on, and the engine.
 *
 * @param scenarioFile the scenario
 * @param sets         {@code --set} flags for every run
 * @param key          the searched key ({@code topology.nodes})
 * @param lo           the range's low end
 * @param hi           the range's high end
 * @param maximize     false: the smallest passing value; true: the largest
 * @param sloFlags     the {@code --slo} objectives as {@code --set} flags that append them to the file's list
 * @param slos         every objective judged, the file's first
 * @param firstSeed    the first seed
 * @param seeds        how many seeds each probed value must pass on
 * @param engine       sim or real
 * @param outDir       the search's folder
 */
public record CapacityPlan(Path scenarioFile, List<String> sets, String key, long lo, long hi, boolean maximize,
                           List<String> sloFlags, List<String> slos, long firstSeed, int seeds, ScenarioRunner.Engine engine,
                           Path outDir) {

    private static final Pattern SEARCH = Pattern.compile("([A-Za-z_][A-Za-z0-9_.\\[\\]]*)=(-?\\d+)\\.\\.(-?\\d+)");

    /** Checks everything a run would refuse, at the range's two ends, naming the flag. */
    public static CapacityPlan of(Path scenarioFile, List<String> sets, String search, boolean maximize, List<String> extraSlos,
                                  Long firstSeed, int seeds, ScenarioRunner.Engine engine, Path outDir) throws ScenarioException {
        Matcher m = SEARCH.matcher(search == null ? "" : search.trim());
        if (!m.matches()) {
            throw new ScenarioException("--search " + search, 0, 0, "expected KEY=LO..HI with whole numbers, such as topology.nodes=1..64");
        }
        String key = m.group(1);
        long lo;
        long hi;
        try {
            lo = Long.parseLong(m.group(2));
            hi = Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
            throw new ScenarioException("--search " + search, 0, 0, "LO and HI are too large");
        }
        if (lo >= hi) {
            throw new ScenarioException("--search " + search, 0, 0, "expected LO below HI, got " + lo + ".." + hi);
        }
        if (seeds < 1) {
            throw new ScenarioException("--seeds " + seeds, 0, 0, "expected at least 1 seed");
        }
        for (String s : extraSlos) {
            try {
                Slo.parse(s);
            } catch (IllegalArgumentException e) {
                throw new ScenarioException("--slo " + s, 0, 0, e.getMessage());
            }
        }
        Scenario plain = ScenarioLoader.load(scenarioFile, sets);
        List<String> sloFlags = new ArrayList<>();
        int existing = plain.slos().size();
        if (!extraSlos.isEmpty()) {
            if (existing == 0) {
                sloFlags.add("slo=[" + String.join(", ", extraSlos.stream().map(CapacityPlan::quoted).toList()) + "]");
            } else {
                for (int i = 0; i < extraSlos.size(); i++) {
                    sloFlags.add("slo[" + (existing + i) + "]=" + quoted(extraSlos.get(i)));
                }
            }
        }
        Scenario withSlos = null;
        for (long end : new long[] {lo, hi}) {
            List<String> flags = flags(sets, sloFlags, key, end);
            try {
                withSlos = ScenarioLoader.load(scenarioFile, flags);
            } catch (ScenarioException e) {
                String flag = "--set " + key + "=" + end;
                if (e.file().equals(flag)) {
                    throw new ScenarioException("--search " + search + " (the value " + end + ")", 0, 0,
                            e.getMessage().substring(e.file().length() + 2));
                }
                throw e;
            }
        }
        List<String> slos = withSlos.slos().stream().map(Slo::text).toList();
        if (slos.isEmpty()) {
            throw new ScenarioException("--slo", 0, 0, "a capacity search needs an objective: give --slo (such as"
                    + " --slo 'p99(send_to_ack) < 200ms') or an slo: list in the scenario file");
        }
        long seed = firstSeed != null ? firstSeed : SimRun.seedFor(null, plain);
        return new CapacityPlan(scenarioFile, List.copyOf(sets), key, lo, hi, maximize, List.copyOf(sloFlags), slos, seed, seeds,
                engine, outDir);
    }

    /** The flags of one run at {@code value}: the user's, the extra SLOs, then the searched key. */
    static List<String> flags(List<String> sets, List<String> sloFlags, String key, long value) {
        List<String> out = new ArrayList<>(sets);
        out.addAll(sloFlags);
        out.add(key + "=" + value);
        return out;
    }

    List<String> flagsAt(long value) {
        return flags(sets, sloFlags, key, value);
    }

    /** {@code topology.nodes=12} as a folder: {@code nodes-12}. */
    String folder(long value) {
        String last = key.substring(key.lastIndexOf('.') + 1).replaceAll("[^A-Za-z0-9_]+", "_");
        return last + "-" + value;
    }

    private static String quoted(String slo) {
        return "'" + slo.replace("'", "''") + "'";
    }
}
