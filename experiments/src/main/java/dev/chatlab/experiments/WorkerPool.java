package dev.chatlab.experiments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code --parallel N}: N local {@link RunWorker} processes (this JVM's java and class path), each
 * taking the next run from one queue as it finishes the last. Runs are handed out in the
 * experiment's order and their results kept in that order, so the experiment's files are the same
 * bytes as a one-process run's. A worker that dies fails the experiment, naming it.
 */
public final class WorkerPool implements RunPool {

    private final int workers;
    private final Path scenarioFile;
    private final ScenarioRunner.Engine engine;
    private final List<Worker> started = new ArrayList<>();

    private record Worker(int number, Process process, Writer in, BufferedReader out) {
    }

    public WorkerPool(int workers, Path scenarioFile, ScenarioRunner.Engine engine) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers " + workers);
        }
        this.workers = workers;
        this.scenarioFile = scenarioFile;
        this.engine = engine;
    }

    @Override
    public void run(List<RunTask> tasks, Done done) throws IOException {
        while (started.size() < Math.min(workers, tasks.size())) {
            started.add(start(started.size() + 1));
        }
        Queue<RunTask> queue = new ConcurrentLinkedQueue<>(tasks);
        Object lock = new Object();
        List<Throwable> problems = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Worker w : started) {
            Thread t = new Thread(() -> {
                try {
                    for (RunTask task = queue.poll(); task != null; task = queue.poll()) {
                        ScenarioRunner.Outcome outcome = ask(w, task);
                        synchronized (lock) {
                            if (!problems.isEmpty()) {
                                return;
                            }
                            done.finished(task, outcome);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    synchronized (lock) {
                        problems.add(e);
                    }
                    queue.clear();
                }
            }, "chatlab-worker-" + w.number());
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the workers", e);
            }
        }
        if (!problems.isEmpty()) {
            Throwable first = problems.get(0);
            throw first instanceof IOException io ? io : new IOException(first.getMessage(), first);
        }
    }

    private static ScenarioRunner.Outcome ask(Worker w, RunTask task) throws IOException {
        w.in().write(RunWorker.task(task) + "\n");
        w.in().flush();
        for (String line = w.out().readLine(); line != null; line = w.out().readLine()) {
            if (line.startsWith(RunWorker.RESULT)) {
                return RunWorker.answer(line.substring(RunWorker.RESULT.length()), task.dir());
            }
        }
        throw new IOException("worker " + w.number() + " (pid " + w.process().pid() + ") ended during the run of seed "
                + task.seed() + " into " + task.dir() + "; its errors are above");
    }

    private Worker start(int number) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RunWorker.class.getName(),
                scenarioFile.toString(), engine.word());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        return new Worker(number, p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }

    @Override
    public void close() throws IOException {
        for (Worker w : started) {
            try {
                w.in().close();
            } catch (IOException e) {
                // a worker that already died has nothing to read its end from
            }
        }
        for (Worker w : started) {
            try {
                if (!w.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    w.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.process().destroyForcibly();
            }
        }
        started.clear();
    }
}
