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
            "FILE is JSON Lines (one event per line, optionally gzip-compressed) in the history format",
            "described in docs/history-format.md: member, connect, disconnect, send, ack, fail, deliver,",
            "read, receipt, presence, typing and quiesce events, ordered by t (microseconds).",
            "The whole file is validated first; then each invariant is reported as ok, VIOLATED n (with",
            "the first examples and the lines that prove them) or not applicable:",
            "",
            "  unique-seq          in a chat one seq names one message, and a message gets one seq",
            "  no-phantom          every delivered message was sent earlier; no failed message is delivered",
            "  per-device-order    a device delivers a chat's messages in strictly increasing seq",
            "  no-hole             a device delivering seq s already has every smaller message it is owed",
            "  sender-fifo         a message acked before the next is sent gets the smaller seq",
            "  no-lost-ack         after a quiesce, every committed message reaches every owed device",
            "                      that reconnects (not applicable without a quiesce)",
            "  membership          a device receives a message only if its user was a member at commit",
            "                      or is one at delivery",
            "  read-after-deliver  a device reads up to s only after it delivered s (or had s acked)",
            "  receipt-monotone    a receipt watermark seen by one device never goes down",
            "  receipt-truthful    a receipt claims only what the user's devices really delivered or read",
            "",
            "It also reports presence staleness (p50/p90/p99/max in microseconds)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every applicable invariant holds",
            "1:an invariant is violated",
            "2:the history is unreadable (the message names the line, the field and what was expected),",
            "  the file is missing, or the arguments are wrong"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab check runs/r1/history.jsonl.gz",
            "  chatlab check history.jsonl --json verdict.json --junit verdict.xml"
        })
final class CheckCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the history: .jsonl, or .jsonl.gz")
    Path history;

    @Option(names = "--json", paramLabel = "OUT",
            description = "also write the verdict as JSON to OUT ({\"valid\":..,\"events\":..,\"invariants\":{..}})")
    Path json;

    @Option(names = "--junit", paramLabel = "OUT",
            description = "also write the verdict as JUnit XML to OUT (suite chatlab-checker, one test case per invariant)")
    Path junit;

    @Override
    public Integer call() {
        return CheckRun.run(history, json, junit, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
