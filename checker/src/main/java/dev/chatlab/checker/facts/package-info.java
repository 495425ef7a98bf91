/**
 * What a history establishes, kept in compact form while it streams by: interned ids, messages
 * and their seqs and commits, chat membership over time, what each device has delivered and
 * which owed messages it is still missing. Invariants read these facts; they never change them.
 */
package dev.chatlab.checker.facts;
