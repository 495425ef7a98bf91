/** Renderings of a {@link dev.chatlab.checker.Verdict}: a summary for people, JSON for tools, JUnit XML for CI. */
package dev.chatlab.checker.output;
