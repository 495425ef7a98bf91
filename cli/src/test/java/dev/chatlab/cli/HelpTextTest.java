package dev.chatlab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command's help as a newcomer reads it: the one-line summary in a command list is a whole
 * sentence, a paragraph does not stop mid-sentence, every parameter says what it is, and
 * {@code help A B} prints the help of the nested command B.
 */
class HelpTextTest {

    /** picocli's width: a longer pre-formatted line (an example) is wrapped at an arbitrary word. */
    private static final int USAGE_WIDTH = 80;
    private static final Pattern ENDS_A_SENTENCE = Pattern.compile(".*[.!?:]$");
    /** Words a description cut in two ends with; no finished phrase ends with one of these. */
    private static final Set<String> DANGLING = Set.of("a", "an", "and", "as", "at", "by", "each", "for", "from", "in",
            "of", "on", "or", "than", "that", "the", "to", "which", "with");

    @Test
    void shouldEndEveryCommandsSummaryAndParagraphWithASentence() {
        List<String> problems = new ArrayList<>();
        for (CommandLine command : everyCommand(Chatlab.commandLine())) {
            CommandSpec spec = command.getCommandSpec();
            String name = spec.qualifiedName();
            String[] description = spec.usageMessage().description();
            assertThat(description).as("%s has a description", name).isNotEmpty();
            if (!ENDS_A_SENTENCE.matcher(description[0].strip()).matches()) {
                problems.add(name + ": the summary a command list shows ends mid-sentence: '" + description[0] + "'");
            }
            for (String paragraph : paragraphs(description)) {
                if (!ENDS_A_SENTENCE.matcher(paragraph).matches()) {
                    problems.add(name + ": a paragraph ends mid-sentence: '" + paragraph + "'");
                }
            }
            for (int i = 0; i + 1 < description.length; i++) {
                // picocli wraps each line on its own: a line it wraps leaves a ragged stub before the next.
                if (description[i].length() > USAGE_WIDTH && !description[i + 1].isBlank()) {
                    problems.add(name + ": a description line longer than the help's width, wrapped mid-paragraph: '"
                            + description[i] + "'");
                }
            }
            for (String line : spec.usageMessage().footer()) {
                if (line.length() > USAGE_WIDTH) {
                    problems.add(name + ": a footer line longer than the help's width, wrapped mid-line: '" + line + "'");
                }
            }
            for (Map.Entry<String, String> code : spec.usageMessage().exitCodeList().entrySet()) {
                if (!code.getKey().strip().matches("\\d+")) {
                    problems.add(name + ": an exit-code entry without a code (picocli drops it): '" + code.getKey() + "'");
                } else if (endsDangling(code.getValue())) {
                    problems.add(name + ": exit code " + code.getKey().strip() + " ends mid-sentence: '" + code.getValue() + "'");
                }
            }
            for (ArgSpec arg : spec.args()) {
                String text = String.join(" ", arg.description()).strip();
                if (text.isEmpty()) {
                    problems.add(name + ": " + label(arg) + " has no description");
                } else if (endsDangling(text)) {
                    problems.add(name + ": " + label(arg) + "'s description ends mid-sentence: '" + text + "'");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldRenderEveryHelpWithoutAFormatWarning() {
        // picocli formats help text: a lone '%' (as in "5%") is printed raw with a warning on stderr.
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (CommandLine command : everyCommand(Chatlab.commandLine())) {
                usage(command);
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    @Test
    void shouldGiveEveryClusterActionExamples() {
        CommandLine cluster = Chatlab.commandLine().getSubcommands().get("cluster");
        for (CommandLine action : everyCommand(cluster)) {
            assertThat(usage(action)).as(action.getCommandSpec().qualifiedName()).contains("Examples:", "chatlab cluster");
        }
    }

    @Test
    void shouldPrintTheHelpOfANestedSubcommand() {
        CommandLine root = Chatlab.commandLine();
        for (String[] path : List.of(new String[] {"cluster", "start"}, new String[] {"bench", "sim"},
                new String[] {"cluster"}, new String[] {"run"})) {
            CommandLine target = root;
            for (String name : path) {
                target = target.getSubcommands().get(name);
            }
            Captured help = Captured.execute(prepend("help", path));
            assertThat(help.exit()).isZero();
            assertThat(help.out()).as("help %s", String.join(" ", path)).isEqualTo(usage(target));
        }
        assertThat(Captured.execute("help", "cluster", "start").out()).contains("--nodes");
    }

    @Test
    void shouldRefuseHelpOfAnUnknownSubcommandWithExit2() {
        Captured help = Captured.execute("help", "cluster", "begin");
        assertThat(help.exit()).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(help.err()).contains("unknown command 'begin'", "start", "status");
    }

    @Test
    void shouldSayThatCommandsNotBuiltAreNotAvailableAndExit2() {
        for (String command : List.of("load")) {
            CommandLine line = Chatlab.commandLine().getSubcommands().get(command);
            assertThat(line.getCommandSpec().usageMessage().description()[0]).startsWith("Not yet available");
            Captured run = Captured.execute(command, "scenarios/library/smoke.yaml", "--vary", "x=1,2");
            assertThat(run.exit()).isEqualTo(Chatlab.BAD_INPUT);
            assertThat(run.err()).contains("'chatlab " + command + "' is not yet available");
        }
    }

    /** Consecutive lines that start at the margin form one paragraph; indented lines are tables or examples. */
    private static List<String> paragraphs(String[] lines) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            boolean prose = !line.isBlank() && !line.startsWith(" ");
            if (prose) {
                current.append(current.length() == 0 ? "" : " ").append(line.strip());
            } else if (current.length() > 0) {
                paragraphs.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            paragraphs.add(current.toString());
        }
        return paragraphs;
    }

    private static boolean endsDangling(String text) {
        String stripped = text.strip();
        String last = stripped.substring(stripped.lastIndexOf(' ') + 1).toLowerCase();
        return DANGLING.contains(last) || stripped.endsWith(",");
    }

    private static String label(ArgSpec arg) {
        return arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
    }

    private static List<CommandLine> everyCommand(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            all.addAll(everyCommand(sub));
        }
        return all;
    }

    private static String usage(CommandLine command) {
        StringWriter text = new StringWriter();
        command.usage(new PrintWriter(text));
        return text.toString();
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
