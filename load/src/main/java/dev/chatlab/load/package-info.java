/**
 * The home of load generation with Gatling's Java DSL against the real cluster ({@code chatlab
 * load}): simulations that speak the chat protocol (chat-core's frames) over WebSockets, with
 * Gatling's reports beside chatlab's. Nothing is here yet; {@code chatlab load} says so and exits 2.
 * The module graph (docs/architecture.md) already places it: it may use chat-core and the real
 * cluster's launcher, and nothing but the CLI uses it.
 */
package dev.chatlab.load;
