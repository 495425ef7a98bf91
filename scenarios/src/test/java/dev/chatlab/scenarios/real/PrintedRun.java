package dev.chatlab.scenarios.real;

import dev.chatlab.scenarios.Scenario;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A real run whose summary lines are kept for the assertions' messages and echoed to the test log. */
record PrintedRun(RealRun.Result result, String text) {

    static PrintedRun of(Scenario scenario, long seed, Path dir, RealRun.Options options) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        RealRun.Result result = RealRun.run(scenario, seed, dir, options, out, System.out);
        String printed = text.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        return new PrintedRun(result, printed);
    }
}
