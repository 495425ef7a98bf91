package dev.chatlab.scenarios;

/**
 * A scenario file that cannot be run, with where and why: {@code file:line:column: key: what was
 * expected}. The command line prints {@link #getMessage()} and exits 2.
 */
public final class ScenarioException extends Exception {

    private final String file;
    private final int line;
    private final int column;

    public ScenarioException(String file, int line, int column, String reason) {
        super(file + (line > 0 ? ":" + line + ":" + column : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public String file() {
        return file;
    }

    /** 1-based line, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when the problem is the file as a whole. */
    public int column() {
        return column;
    }
}
