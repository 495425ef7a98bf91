package dev.chatlab.reference.fleet;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.HistoryWriter;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * A run's devices spread over several fleet worker processes ({@link FleetWorkerMain}), each a
 * JVM with this one's classpath that holds a {@link FleetShare} of the population (by user) and
 * writes its own history. This side coordinates them: every order (start, mass disconnect,
 * quiesce, finish) goes to every worker and waits for every answer, so a phase reaches all of
 * them. All processes count time from one zero on the host's monotonic clock, so their histories
 * merge by {@code t} ({@link #merge}). A worker that dies or answers with an error fails the run
 * with a message that names it and its log.
 *
 * <p>Files, in {@code dir}: {@code members.jsonl.gz} (the coordinator's own part: chat
 * membership), and per worker K {@code worker-K.plan.jsonl.gz} (its share),
 * {@code worker-K.jsonl.gz} (its history), {@code worker-K.stats.json} (its counts) and
 * {@code worker-K.log} (its standard error).
 *
 * <pre>{@code
 * try (FleetWorkers fleet = FleetWorkers.start(plan, endpoints, secret, 2, runDir.resolve("fleet"), jvmArgs, log)) {
 *     RealDriver.run(cluster, plan, fleet, recover, log);
 *     fleet.merge(HistorySink.all(writer, checker, recorder));
 * }
 * }</pre>
 */
public final class FleetWorkers implements DeviceFleet {

    /**
     * Devices one fleet process holds at most by default. The open-file limit is 20,000 a
     * process, and a process holds more sockets than devices while they reconnect (handshakes
     * under way, closing sockets): a worker of 12,500 devices was seen at 16,449 open files.
     */
    public static final int SOCKETS_PER_PROCESS_DEFAULT = 12_500;
    /** JVM options of a worker process. */
    public static final List<String> JVM_ARGS_DEFAULT = List.of("-Xmx1g", "-XX:+UseSerialGC");
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** Longer than a worker waits for its own event loop ({@link Fleet}), so the worker's own error comes first. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(180);
    /** What a worker's reader thread queues when the worker's standard output ends. */
    private static final String GONE = "\u0000gone";

    private final Path dir;
    private final long nanoZero;
    private final HistoryWriter members;
    private final List<Worker> workers = new ArrayList<>();
    private long lastMemberT;

    /** One worker process and the answers it has sent. */
    private static final class Worker {
        final String name;
        final Process process;
        final Path log;
        final Path history;
        final BufferedWriter orders;
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        final int devices;

        Worker(String name, Process process, Path log, Path history, int devices) {
            this.name = name;
            this.process = process;
            this.log = log;
            this.history = history;
            this.devices = devices;
            this.orders = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        answers.add(line);
                    }
                } catch (IOException e) {
                    // The process is gone; GONE below says so.
                } finally {
                    answers.add(GONE);
                }
            }, "chatlab-fleet-" + name);
            reader.setDaemon(true);
            reader.start();
        }
    }

    private FleetWorkers(Path dir, long nanoZero, HistoryWriter members) {
        this.dir = dir;
        this.nanoZero = nanoZero;
        this.members = members;
    }

    /**
     * How many fleet processes {@code devices} need at {@code socketsPerProcess} each; a positive
     * {@code forced} wins (to test several processes on a small population).
     */
    public static int processesFor(int devices, int socketsPerProcess, int forced) {
        if (forced > 0) {
            return forced;
        }
        if (socketsPerProcess < 1) {
            throw new IllegalArgumentException("sockets per fleet process must be positive, not " + socketsPerProcess);
        }
        return Math.max(1, (devices + socketsPerProcess - 1) / socketsPerProcess);
    }

    /**
     * Cuts the plan into {@code processes} shares, starts one worker per share and returns once
     * every worker has made its devices (none is online yet).
     */
    public static FleetWorkers start(RealDriver.Plan plan, List<String> endpoints, String secret, int processes,
                                     Path dir, List<String> jvmArgs) throws IOException {
        Files.createDirectories(dir);
        long nanoZero = System.nanoTime();
        FleetWorkers fleet = new FleetWorkers(dir, nanoZero, HistoryWriter.open(dir.resolve("members.jsonl.gz")));
        try {
            List<FleetShare> shares = FleetShare.partition(plan, endpoints, secret, processes);
            for (int k = 1; k <= shares.size(); k++) {
                fleet.launch(k, shares.get(k - 1), jvmArgs);
            }
            for (Worker w : fleet.workers) {
                fleet.answer(w, "ready", READY_TIMEOUT);
            }
            return fleet;
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void launch(int k, FleetShare share, List<String> jvmArgs) throws IOException {
        String name = "worker-" + k;
        Path plan = dir.resolve(name + ".plan.jsonl.gz");
        share.write(plan);
        Path log = dir.resolve(name + ".log");
        Path history = dir.resolve(name + ".jsonl.gz");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dchatlab.process=fleet-" + name);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FleetWorkerMain.class.getName());
        command.addAll(List.of("--name", name, "--share", plan.toString(), "--history", history.toString(),
                "--stats", dir.resolve(name + ".stats.json").toString(), "--nano-zero", String.valueOf(nanoZero)));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        workers.add(new Worker(name, process, log, history, share.deviceCount()));
    }

    /** One line per worker: its name, pid, devices and log. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Worker w : workers) {
            out.add(w.name + " pid=" + w.process.pid() + " devices=" + w.devices + " log=" + w.log);
        }
        return out;
    }

    /** The workers' process ids, in order. */
    public List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (Worker w : workers) {
            out.add(w.process.pid());
        }
        return out;
    }

    /** The histories to merge: the coordinator's membership part, then each worker's, in order. */
    public List<Path> parts() {
        List<Path> out = new ArrayList<>();
        out.add(dir.resolve("members.jsonl.gz"));
        for (Worker w : workers) {
            out.add(w.history);
        }
        return out;
    }

    /** After {@link #finish}: merges every part into {@code out} (see {@link HistoryMerge}). */
    public HistoryMerge.Merged merge(HistorySink out) throws IOException {
        return HistoryMerge.merge(parts(), out);
    }

    @Override
    public long now() {
        return (System.nanoTime() - nanoZero) / 1000;
    }

    @Override
    public synchronized void record(LongFunction<HistoryEvent> event) {
        lastMemberT = Math.max(lastMemberT, now());
        members.accept(event.apply(lastMemberT));
    }

    @Override
    public void start(long loginsFromMicros, long loginSpreadMicros, long zeroMicros) {
        tell("start " + loginsFromMicros + " " + loginSpreadMicros + " " + zeroMicros);
    }

    @Override
    public void quiesce(long reconnectSpreadMicros) {
        tell("quiesce " + reconnectSpreadMicros);
    }

    @Override
    public int disconnectAll(int endpoint) {
        int dropped = 0;
        for (String answer : tell("disconnect " + endpoint)) {
            dropped += Integer.parseInt(answer.trim());
        }
        return dropped;
    }

    @Override
    public Frontier frontier() {
        List<Frontier> parts = new ArrayList<>();
        for (String answer : tell("frontier")) {
            parts.add(Frontier.fromJson(answer.trim()));
        }
        return Frontier.merge(parts);
    }

    @Override
    public String status() {
        Map<String, Long> sums = new TreeMap<>();
        for (String answer : tell("status")) {
            for (String pair : answer.trim().split(" ")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    sums.merge(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)), Long::sum);
                }
            }
        }
        StringBuilder line = new StringBuilder();
        sums.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
        return line.append("processes=").append(workers.size()).toString();
    }

    @Override
    public Map<String, Long> finish() {
        Map<String, Long> sums = new TreeMap<>();
        for (String answer : tell("finish")) {
            JsonObject counters = new JsonObject(answer.trim());
            for (String key : counters.fieldNames()) {
                sums.merge(key, counters.getLong(key), Long::sum);
            }
        }
        try {
            members.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + dir.resolve("members.jsonl.gz"), e);
        }
        for (Worker w : workers) {
            try {
                w.process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fleet " + w.name + " exited", e);
            }
        }
        return sums;
    }

    @Override
    public int processes() {
        return workers.size();
    }

    /** Stops any worker still running (SIGTERM, then SIGKILL) and closes the membership part. */
    @Override
    public void close() {
        for (Worker w : workers) {
            try {
                w.orders.close();
            } catch (IOException e) {
                // Its standard input is closed either way; the worker stops when it sees that.
            }
        }
        for (Worker w : workers) {
            w.process.destroy();
            try {
                if (!w.process.waitFor(10, TimeUnit.SECONDS)) {
                    w.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.process.destroyForcibly();
            }
        }
        try {
            members.close();
        } catch (IOException e) {
            // Closing twice or after a failed run: nothing more to save.
        }
    }

    // ---- orders and answers --------------------------------------------------------------------

    /** Sends {@code order} to every worker, then waits for each one's answer; returns the answers' details. */
    private synchronized List<String> tell(String order) {
        String verb = order.split(" ")[0];
        for (Worker w : workers) {
            try {
                w.orders.write(order);
                w.orders.newLine();
                w.orders.flush();
            } catch (IOException e) {
                throw failure(w, (w.process.isAlive() ? "could not be told '" : "died before it could be told '")
                        + verb + "'");
            }
        }
        List<String> out = new ArrayList<>();
        for (Worker w : workers) {
            out.add(answer(w, verb, ANSWER_TIMEOUT));
        }
        return out;
    }

    /** Waits for {@code w}'s answer to {@code verb}; returns what follows {@code ok verb}. */
    private String answer(Worker w, String verb, Duration timeout) {
        String line;
        try {
            line = w.answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for fleet " + w.name, e);
        }
        if (line == null) {
            throw failure(w, "did not answer '" + verb + "' within " + timeout.toSeconds() + " s");
        }
        if (line.equals(GONE)) {
            w.answers.add(GONE);
            throw failure(w, "died while it was to answer '" + verb + "'");
        }
        if (line.startsWith("error ")) {
            throw failure(w, "failed on '" + verb + "': " + line.substring("error ".length()));
        }
        String expected = "ok " + verb;
        if (!line.startsWith(expected)) {
            throw failure(w, "answered '" + line + "' to '" + verb + "'");
        }
        return line.substring(expected.length());
    }

    private IllegalStateException failure(Worker w, String what) {
        String exit = "";
        try {
            if (w.process.waitFor(2, TimeUnit.SECONDS)) {
                exit = ", exit code " + w.process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException(String.format(Locale.ROOT, "fleet %s (pid %d%s) %s; its log: %s%s", w.name,
                w.process.pid(), exit, what, w.log, lastLines(w.log)));
    }

    /** The end of a worker's log, to show with its failure. */
    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return tail.isEmpty() ? "" : "\n  " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "";
        }
    }
}
