package dev.chatlab.checker;

/**
 * A message as a verdict names it: its chat and, where known, its seq, sender and cmid.
 *
 * @param chat the chat id
 * @param seq  the seq, or 0 when the message has none
 * @param from the sending user, or null when unknown
 * @param cmid the client message id, or null when unknown
 */
public record MessageRef(String chat, long seq, String from, String cmid) {
}
