package dev.routelens.samples;

/**
 * One physical line of a sample file.
 *
 * @param number 1-based line number
 * @param text the decoded line without its terminator, or null when {@code problem} is set
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
