package dev.chatlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code chatlab help [COMMAND [SUBCOMMAND ...]]}. picocli's own help command looks up only its
 * first argument, so {@code help cluster start} printed the help of {@code cluster}; this one
 * walks the whole path and refuses a name it does not know.
 */
@Command(name = "help", helpCommand = true,
        description = "Print the help of a command or of a nested subcommand (e.g. help cluster start).")
final class HelpCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "the command and its subcommands, e.g. 'cluster start'; none: the top-level help")
    List<String> path = List.of();

    @Override
    public Integer call() {
        CommandLine current = spec.parent().commandLine();
        for (String name : path) {
            CommandLine next = current.getSubcommands().get(name);
            if (next == null) {
                PrintWriter err = spec.root().commandLine().getErr();
                err.println("chatlab help: unknown command '" + name + "' under '" + current.getCommandSpec().qualifiedName()
                        + "'; expected one of: " + String.join(", ", current.getSubcommands().keySet()));
                err.flush();
                return Chatlab.BAD_INPUT;
            }
            current = next;
        }
        current.usage(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return Chatlab.OK;
    }
}
