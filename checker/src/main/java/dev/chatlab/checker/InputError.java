package dev.chatlab.checker;

/**
 * Why a history could not be judged.
 *
 * @param line   the 1-based line (or event ordinal online) where the input breaks the format
 * @param reason what is wrong there: which field, what was expected
 */
public record InputError(long line, String reason) {
}
