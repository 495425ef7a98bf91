package dev.chatlab.core.client;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.protocol.Frame;

/** What a {@link ClientDevice} asks its host to do. */
public sealed interface ClientEffect {

    /** Open a transport to some chat node; the host calls {@code onConnected} or {@code onDisconnected}. */
    record Connect() implements ClientEffect {
    }

    /** Close the transport. */
    record Disconnect() implements ClientEffect {
    }

    record SendFrame(Frame frame) implements ClientEffect {
    }

    /** Call {@code onTimer(timer)} at {@code atMicros}. */
    record SetTimer(String timer, long atMicros) implements ClientEffect {
    }

    /** Append an event to the run's history. */
    record Record(HistoryEvent event) implements ClientEffect {
    }
}
