package dev.routelens.samples;

/**
 * One physical line of a sample file.
 *
 * @param number 1-based line number
 * @param text the decoded line without its terminator; when {@code problem} is set, a lenient decoding
 *     (each malformed byte sequence as U+FFFD, "" for a line too long to keep) that a format may use to
 *     see the line's shape (a leading '>', the quotes of a CSV record), never as data
 * @param problem why the line could not be decoded, or null
 */
record DecodedLine(long number, String text, String problem) {
    boolean ok() {
        return problem == null;
    }

    boolean isBlank() {
        return ok() && text.isBlank();
    }
}
