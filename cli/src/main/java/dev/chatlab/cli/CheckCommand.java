package dev.chatlab.cli;

import dev.chatlab.checker.CheckRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code chatlab check FILE}: judges a recorded history; the work is {@link CheckRun}'s. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
            "Judge a recorded chat history against the ordering and receipt invariants.",
            "",
            "FILE is JSON Lines, one event per line, optionally gzipped, in the history",
            "format of docs/history-format.md (member, connect, disconnect, send, ack,",
            "fail, deliver, read, receipt, presence, typing, quiesce; ordered by t).",
            "The whole file is validated first (an empty file is an input error). Then",
            "each invariant is reported as ok, VIOLATED n (with the first examples and",
            "the lines that prove them), or not applicable (with the reason), and with",
            "how much it judged: a pass must have judged something, so an invariant",
            "that judged nothing is never ok. Events of unknown types are skipped but",
            "counted and named (a misspelled type shows).",
            "",
            "  unique-seq          a seq names one message; a message gets one seq",
            "  no-phantom          only messages sent earlier are delivered, and no",
            "                      failed one",
            "  per-device-order    a device delivers a chat in strictly increasing seq",
            "  no-hole             a device delivering s already has every smaller",
            "                      message it is owed",
            "  sender-fifo         a message acked before the next send gets the",
            "                      smaller seq",
            "  no-lost-ack         after a quiesce, every committed message reaches every",
            "                      owed device live after it: connected through it, or",
            "                      reconnected after it (needs a quiesce)",
            "  membership          a device gets a message only if its user was a member",
            "                      at commit or is one at delivery",
            "  read-after-deliver  a device reads up to s only after delivering s",
            "                      (or having s acked as its own)",
            "  receipt-monotone    a receipt watermark never goes down for one device",
            "  receipt-truthful    a receipt claims only what really was delivered/read",
            "",
            "Presence staleness (p50/p90/p99/max, microseconds) is reported as well.",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every applicable invariant holds",
            "1:an invariant is violated (with --strict: or one does not apply)",
            "2:unreadable history (the message names the line, the field and what was expected), missing file, or bad arguments"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab check runs/r1/history.jsonl.gz",
            "  chatlab check history.jsonl --json verdict.json --junit verdict.xml",
            "  chatlab check --strict runs/r1/history.jsonl.gz  # CI: nothing judged = fail"
        })
final class CheckCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the history: .jsonl, or .jsonl.gz")
    Path history;

    @Option(names = "--strict",
            description = "refuse events of unknown types (exit 2) and fail (exit 1) when any invariant does not"
                    + " apply: for CI gates that must not pass on a history that proved nothing")
    boolean strict;

    @Option(names = "--json", paramLabel = "OUT",
            description = "also write the verdict as JSON to OUT")
    Path json;

    @Option(names = "--junit", paramLabel = "OUT",
            description = "also write the verdict as JUnit XML to OUT (one test case per invariant)")
    Path junit;

    @Override
    public Integer call() {
        return CheckRun.run(history, strict, json, junit, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
