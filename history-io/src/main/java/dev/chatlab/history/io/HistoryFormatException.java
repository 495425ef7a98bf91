package dev.chatlab.history.io;

/**
 * A history that breaks the format: names the 1-based line and the reason, so that a user can
 * open the file at that line and see what is wrong.
 */
public final class HistoryFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long line;
    private final String reason;

    public HistoryFormatException(long line, String reason) {
        super("line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    public long line() { return line; }

    public String reason() { return reason; }
}
