package dev.chatlab.checker;

import java.util.List;

/**
 * One violation, shown so that a reader can open the history at the lines that prove it.
 *
 * @param detail    a sentence that says what went wrong
 * @param message   the message involved, or null
 * @param device    the device involved ("user/device"), or null
 * @param missingOn for no-lost-ack: the owed devices that never delivered the message; else empty
 * @param lines     the 1-based lines (event ordinals online) that prove it, ascending
 */
public record Example(String detail, MessageRef message, String device, List<String> missingOn, List<Long> lines) {

    public Example {
        missingOn = List.copyOf(missingOn);
        lines = lines.stream().filter(line -> line > 0).distinct().sorted().toList();
    }
}
