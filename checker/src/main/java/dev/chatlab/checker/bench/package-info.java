/**
 * The checker's benchmark: a streaming generator of large valid histories and the measurement of
 * parse-only and parse-plus-check throughput and heap. The CLI's {@code chatlab bench check}
 * drives it; the wall clock is passed in, so nothing here reads time on its own.
 */
package dev.chatlab.checker.bench;
