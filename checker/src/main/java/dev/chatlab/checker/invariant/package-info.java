/**
 * The invariants of the history format, one class each behind {@link
 * dev.chatlab.checker.invariant.Invariant}. Each sees every event once, as a resolved {@link
 * dev.chatlab.checker.facts.Step} with the shared {@link dev.chatlab.checker.facts.HistoryFacts},
 * keeps only the state its own rule needs, and reports by its stable name.
 */
package dev.chatlab.checker.invariant;
