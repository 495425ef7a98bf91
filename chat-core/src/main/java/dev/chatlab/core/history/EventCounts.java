package dev.chatlab.core.history;

/**
 * How many events of each kind a history holds, counted as they are recorded: the counts every
 * run summary starts from, whatever engine recorded the history.
 *
 * <pre>{@code
 * EventCounts counts = new EventCounts();
 * HistorySink sink = HistorySink.all(writer, counts);
 * ...
 * long acked = counts.acks();
 * }</pre>
 */
public final class EventCounts implements HistorySink {

    private long events;
    private long sends;
    private long acks;
    private long fails;
    private long delivers;
    private long reads;
    private long typing;
    private long connects;
    private long disconnects;
    private long presence;
    private long receipts;

    @Override
    public void accept(HistoryEvent event) {
        events++;
        if (event instanceof HistoryEvent.Send) {
            sends++;
        } else if (event instanceof HistoryEvent.Ack) {
            acks++;
        } else if (event instanceof HistoryEvent.Fail) {
            fails++;
        } else if (event instanceof HistoryEvent.Deliver) {
            delivers++;
        } else if (event instanceof HistoryEvent.Read) {
            reads++;
        } else if (event instanceof HistoryEvent.Typing) {
            typing++;
        } else if (event instanceof HistoryEvent.Connect) {
            connects++;
        } else if (event instanceof HistoryEvent.Disconnect) {
            disconnects++;
        } else if (event instanceof HistoryEvent.Presence) {
            presence++;
        } else if (event instanceof HistoryEvent.Receipt) {
            receipts++;
        }
    }

    public long events() {
        return events;
    }

    public long sends() {
        return sends;
    }

    public long acks() {
        return acks;
    }

    public long fails() {
        return fails;
    }

    public long delivers() {
        return delivers;
    }

    public long reads() {
        return reads;
    }

    public long typing() {
        return typing;
    }

    public long connects() {
        return connects;
    }

    public long disconnects() {
        return disconnects;
    }

    public long presence() {
        return presence;
    }

    public long receipts() {
        return receipts;
    }
}
