package dev.chatlab.scenarios;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds an unclosed or mismatched {@code [} or {@code {} of a YAML flow collection before the
 * parser does. The parser's own account names a place far from the cause (the end of the file, or
 * a line that only looks wrong because the collection swallowed it: {@code topology: {nodes: 3}
 * without its brace reads the next key as part of the value). This names the bracket that was
 * left open, where it was opened, and what was expected.
 *
 * <p>Only brackets that open a value count: at depth 0 a {@code [} or {@code {} inside a plain
 * scalar ({@code note: see [docs]}) is text, as in YAML. Quoted strings, comments and block
 * scalars ({@code |}, {@code >}) are skipped.
 */
final class FlowBrackets {

    private record Open(char bracket, int line, int column) {
        char closer() {
            return bracket == '[' ? ']' : '}';
        }

        String kind() {
            return bracket == '[' ? "a flow sequence" : "a flow mapping";
        }
    }

    private FlowBrackets() {
    }

    /** Throws when a flow collection of {@code text} is left open or closed by the wrong bracket. */
    static void check(String source, String text) throws ScenarioException {
        Deque<Open> open = new ArrayDeque<>();
        String[] lines = text.split("\r?\n", -1);
        int blockScalarIndent = -1;  // >= 0 while inside a block scalar opened on a line of this indent
        for (int l = 0; l < lines.length; l++) {
            String line = lines[l];
            int indent = indent(line);
            if (blockScalarIndent >= 0) {
                if (line.isBlank() || indent > blockScalarIndent) {
                    continue;
                }
                blockScalarIndent = -1;
            }
            boolean valueStart = true;  // at the start of a line, after ': ', '- ', or inside a flow collection
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (ch == ' ' || ch == '\t') {
                    continue;
                }
                if (ch == '#' && (c == 0 || line.charAt(c - 1) == ' ' || line.charAt(c - 1) == '\t')) {
                    break;
                }
                if ((ch == '"' || ch == '\'') && (valueStart || !open.isEmpty())) {
                    c = endOfQuoted(line, c);
                    valueStart = false;
                    continue;
                }
                if (ch == '[' || ch == '{') {
                    if (valueStart || !open.isEmpty()) {
                        open.push(new Open(ch, l + 1, c + 1));
                        valueStart = true;
                        continue;
                    }
                } else if (ch == ']' || ch == '}') {
                    if (!open.isEmpty()) {
                        Open last = open.pop();
                        if (last.closer() != ch) {
                            throw new ScenarioException(source, l + 1, c + 1, "expected '" + last.closer() + "' to close the '"
                                    + last.bracket() + "' opened at line " + last.line() + ", column " + last.column()
                                    + " (" + last.kind() + "), got '" + ch + "'");
                        }
                        valueStart = false;
                        continue;
                    }
                } else if (open.isEmpty() && valueStart && (ch == '|' || ch == '>')) {
                    blockScalarIndent = indent;
                    break;
                } else if (ch == ',' && !open.isEmpty()) {
                    valueStart = true;
                    continue;
                } else if ((ch == ':' || ch == '-' || ch == '?') && (c + 1 == line.length() || line.charAt(c + 1) == ' ')) {
                    valueStart = true;
                    continue;
                }
                valueStart = false;
            }
        }
        if (!open.isEmpty()) {
            Open first = open.peekLast();
            throw new ScenarioException(source, first.line(), first.column(), "the '" + first.bracket() + "' opened here ("
                    + first.kind() + ") is never closed: expected '" + first.closer() + "' (or ',' and another entry)"
                    + " before the end of the file (line " + lastLine(lines) + "); a flow collection may span lines, but"
                    + " everything up to its '" + first.closer() + "' is read as part of it");
        }
    }

    /** The number of the file's last line (a final newline does not start another). */
    private static int lastLine(String[] lines) {
        return lines.length > 1 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** The index of the quote that ends the string starting at {@code start} (or the line's end: YAML would complain). */
    private static int endOfQuoted(String line, int start) {
        char quote = line.charAt(start);
        for (int i = start + 1; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote == '"' && ch == '\\') {
                i++;
            } else if (ch == quote) {
                if (quote == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return line.length();
    }
}
