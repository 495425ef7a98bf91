package dev.chatlab.core.history;

/**
 * Where a run's events go as they happen: a file ({@link HistoryWriter}), an online checker, a
 * list in a test, or several of these at once.
 */
@FunctionalInterface
public interface HistorySink {

    void accept(HistoryEvent event);

    /** A sink that hands each event to every one of {@code sinks}, in order. */
    static HistorySink all(HistorySink... sinks) {
        HistorySink[] copy = sinks.clone();
        return event -> {
            for (HistorySink sink : copy) {
                sink.accept(event);
            }
        };
    }

    /** A sink that drops everything. */
    static HistorySink discard() {
        return event -> { };
    }
}
