package dev.chatlab.checker.invariant;

import dev.chatlab.checker.MessageRef;
import dev.chatlab.checker.facts.HistoryFacts;

/** Names things the way examples show them. */
final class Describe {

    private Describe() {
    }

    static MessageRef message(HistoryFacts facts, int message) {
        long seq = facts.messageSeq(message);
        return new MessageRef(facts.chatName(facts.messageChat(message)), seq,
                facts.userName(facts.messageSender(message)), facts.messageCmid(message));
    }

    static MessageRef message(HistoryFacts facts, int message, long seq) {
        return new MessageRef(facts.chatName(facts.messageChat(message)), seq,
                facts.userName(facts.messageSender(message)), facts.messageCmid(message));
    }

    /** "seq 7 (cmid m-1 from alice)" */
    static String seqAndCmid(HistoryFacts facts, int message, long seq) {
        return "seq " + seq + " (cmid " + facts.messageCmid(message) + " from " + facts.userName(facts.messageSender(message)) + ")";
    }

    static String chat(HistoryFacts facts, int chat) {
        return "chat " + facts.chatName(chat);
    }
}
