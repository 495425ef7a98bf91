package dev.chatlab.reports;

/** A run folder that cannot be reported on: missing, or holding a file that cannot be read. The message says which and why. */
public final class ReportException extends Exception {

    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
