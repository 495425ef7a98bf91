package dev.chatlab.core.store;

/** A message as the store holds it. */
public record StoredMessage(String chat, long seq, String sender, String senderDevice, String cmid, String body) {
}
