package dev.chatlab.reports;

/** A fault injected at {@code atMicros} of run time, shown as a marker on every chart's time axis. */
public record FaultMark(long atMicros, String label) {
}
