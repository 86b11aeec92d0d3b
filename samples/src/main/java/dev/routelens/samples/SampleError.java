package dev.routelens.samples;

import java.util.Objects;

/**
 * A record that was rejected while reading samples.
 *
 * @param file the file it was read from
 * @param line its 1-based line number (the first line of a multi-line record)
 * @param id its id, or "" when it has none or it could not be read
 * @param reason one line saying what is wrong
 */
public record SampleError(String file, long line, String id, String reason) {
    public SampleError {
        Objects.requireNonNull(file, "error file");
        Objects.requireNonNull(reason, "error reason");
        id = id == null ? "" : id;
        if (line < 0) {
            throw new IllegalArgumentException("error line must be >= 0, got " + line);
        }
    }

    /** {@code file:line: reason}, with the id when there is one. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + (id.isEmpty() ? "" : id + ": ") + reason;
    }
}
