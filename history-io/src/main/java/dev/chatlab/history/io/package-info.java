/**
 * Reading recorded chat histories back: the validating {@link dev.chatlab.history.io.HistoryReader},
 * the checker's allocation-free {@link dev.chatlab.history.io.EventView} batches and the
 * {@link dev.chatlab.history.io.WriterOrderLine} fast path for lines in the writer's own key order.
 *
 * <p>The format itself (v1.1, a public contract) is described in {@code docs/history-format.md};
 * the events and the writer stay in chat-core's {@code dev.chatlab.core.history}, because the
 * protocol produces histories, while only the checker, the reports and the fleet's merge read them.
 */
package dev.chatlab.history.io;
