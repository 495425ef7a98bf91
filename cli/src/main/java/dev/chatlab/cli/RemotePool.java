package dev.chatlab.cli;

import dev.chatlab.experiments.RunPool;
import dev.chatlab.experiments.RunTask;
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
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code chatlab compare --listen PORT}: the experiment's runs go to {@code chatlab worker --join
 * HOST:PORT} processes, on this machine or others, each taking the next run as it finishes the
 * last. A worker gets the scenario file's text with each run and sends back the run's folder, file
 * by file, which is written here under the same path; results are kept in the experiment's order
 * whatever order they arrive in, so the files are those of a one-process run. A worker that goes
 * away mid-run (killed, its machine lost) has that run put back at the head of the queue for the
 * next worker: no run is lost, and none is counted twice (a run's result is taken once, from the
 * connection that was given it). With no worker connected the experiment waits, and says so.
 *
 * <p>The protocol is one JSON object a line each way (docs/experiments.md, "Workers").
 */
final class RemotePool implements RunPool {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final ServerSocket server;
    private final Path scenarioFile;
    private final String scenarioText;
    private final PrintStream log;
    private final Object lock = new Object();
    private final Deque<RunTask> queue = new ArrayDeque<>();
    private final Set<Integer> finished = new HashSet<>();
    private final List<Socket> sockets = new ArrayList<>();
    private Done done;
    private int remaining;
    private IOException failure;
    private boolean closed;
    private int workersSeen;
    private int workersNow;
    private final Thread acceptor;

    /** Listens on {@code port} (0: any free port, see {@link #port()}) on every interface. */
    public RemotePool(int port, Path scenarioFile, PrintStream log) throws IOException {
        this.scenarioFile = scenarioFile;
        this.scenarioText = Files.readString(scenarioFile, StandardCharsets.UTF_8);
        this.log = log;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(port));
        acceptor = new Thread(this::acceptWorkers, "chatlab-workers-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptWorkers() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int number;
                synchronized (lock) {
                    sockets.add(socket);
                    number = ++workersSeen;
                }
                Thread t = new Thread(() -> serve(socket, number), "chatlab-remote-worker-" + number);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One worker's connection: runs handed out one at a time until the pool closes or the worker goes. */
    private void serve(Socket socket, int number) {
        String who = "worker " + number + " (" + socket.getRemoteSocketAddress() + ")";
        RunTask task = null;
        try (socket;
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
            JsonNode hello = JSON.readTree(requireLine(in, who));
            who = "worker " + number + " (" + hello.path("host").asText("?") + " pid " + hello.path("pid").asText("?") + ")";
            synchronized (lock) {
                workersNow++;
            }
            log.println("compare: " + who + " joined");
            while ((task = take()) != null) {
                out.write(taskLine(task) + "\n");
                out.flush();
                JsonNode answer = JSON.readTree(requireLine(in, who));
                ScenarioRunner.Outcome outcome = unpack(answer, task.dir());
                synchronized (lock) {
                    if (finished.add(task.index()) && done != null) {
                        try {
                            done.finished(task, outcome);
                        } catch (IOException e) {
                            failure = e;
                        }
                        remaining--;
                    }
                    lock.notifyAll();
                }
                task = null;
            }
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                if (task != null && !finished.contains(task.index()) && !closed) {
                    queue.addFirst(task);
                    log.println("compare: " + who + " went away during seed " + task.seed() + " into " + task.dir()
                            + " (" + e.getMessage() + "); the run goes back to the queue");
                }
                lock.notifyAll();
            }
        } finally {
            synchronized (lock) {
                workersNow--;
            }
        }
    }

    private static String requireLine(BufferedReader in, String who) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException(who + " closed its connection");
        }
        return line;
    }

    /** The next run to hand out, waiting for one; null once the pool is closed. */
    private RunTask take() throws IOException {
        synchronized (lock) {
            while (!closed && queue.isEmpty()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            return closed ? null : queue.poll();
        }
    }

    @Override
    public void run(List<RunTask> tasks, Done onDone) throws IOException {
        synchronized (lock) {
            done = onDone;
            remaining = tasks.size();
            queue.addAll(tasks);
            lock.notifyAll();
            long waitingSince = System.nanoTime();
            boolean toldWaiting = false;
            while (remaining > 0 && failure == null) {
                if (workersNow == 0 && !toldWaiting && System.nanoTime() - waitingSince > 2_000_000_000L) {
                    log.println("compare: waiting for workers: start them with chatlab worker --join HOST:" + port());
                    toldWaiting = true;
                }
                try {
                    lock.wait(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the workers", e);
                }
            }
            done = null;
            if (failure != null) {
                throw failure;
            }
        }
    }

    private String taskLine(RunTask t) throws IOException {
        ObjectNode node = RunWorker.taskJson(t);
        node.put("scenario", scenarioFile.toString());
        node.put("scenario_text", scenarioText);
        return JSON.writeValueAsString(node);
    }

    /** Writes the run's files the worker sent under {@code dir}, and returns its outcome. */
    private static ScenarioRunner.Outcome unpack(JsonNode answer, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        for (Map.Entry<String, JsonNode> f : answer.path("files").properties()) {
            Path target = root.resolve(f.getKey()).normalize();
            if (!target.startsWith(root)) {
                throw new IOException("a worker sent a file outside its run's folder: " + f.getKey());
            }
            Files.createDirectories(target.getParent());
            Files.write(target, Base64.getDecoder().decode(f.getValue().asText()));
        }
        return RunWorker.outcome(answer, dir);
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        server.close();
        // Workers waiting for a run see their connection end and stop; one still running finishes
        // into nothing (its result is not waited for).
        synchronized (lock) {
            for (Socket s : sockets) {
                try {
                    s.shutdownOutput();
                } catch (IOException e) {
                    // already gone
                }
            }
        }
    }
}
