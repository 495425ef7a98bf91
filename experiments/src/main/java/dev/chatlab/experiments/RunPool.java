package dev.chatlab.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an experiment's runs are made: one after the other in this process, or spread over local
 * worker processes ({@link WorkerPool}). Each run writes only its own folder and a run is fully
 * decided by its file, flags and seed, so where it ran does not change a byte of what it wrote.
 */
public interface RunPool extends AutoCloseable {

    /** Told of each run as it finishes, one at a time. */
    interface Done {
        void finished(RunTask task, ScenarioRunner.Outcome outcome) throws IOException;
    }

    /** Makes every run; returns when all have finished. */
    void run(List<RunTask> tasks, Done done) throws IOException;

    @Override
    void close() throws IOException;

    /** Runs one after the other in this process, each on its task's engine. */
    static RunPool inProcess(Path scenarioFile) {
        return new RunPool() {
            @Override
            public void run(List<RunTask> tasks, Done done) throws IOException {
                for (RunTask t : tasks) {
                    done.finished(t, ScenarioRunner.runLogged(scenarioFile, t.scenario(), t.seed(), t.engine(), t.dir(),
                            t.fullSize()));
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
