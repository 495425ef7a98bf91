/**
 * Small primitive collections written for the checker's hot path: open-addressing tables keyed
 * by packed longs or by (prefix, string) pairs, and growable columns of ints and longs indexed by
 * the dense ids the checker hands out. They exist because boxing a {@code Long} per event costs
 * more than the rest of the check; nothing here is thread-safe.
 */
package dev.chatlab.checker.collect;
