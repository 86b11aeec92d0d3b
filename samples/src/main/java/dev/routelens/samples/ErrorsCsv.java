package dev.routelens.samples;

import dev.routelens.core.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes rejected records as CSV with the header {@code file,line,id,reason}. Line 0 means the whole
 * file (one that yielded no record). A message that points the user at the file should come from
 * {@link #writeIfAny}'s answer, so that it never names a file that was not written.
 */
public final class ErrorsCsv {
    public static final List<String> HEADER = List.of("file", "line", "id", "reason");

    private ErrorsCsv() {
    }

    /**
     * Writes {@code errors} to {@code file} when there are any, and otherwise deletes a {@code file} left
     * by an earlier run, so that what is there always belongs to this run.
     *
     * @return {@code file} when it was written, empty when there was nothing to write
     */
    public static Optional<Path> writeIfAny(Path file, List<SampleError> errors) {
        if (errors.isEmpty()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the stale " + file + ": " + e.getMessage(), e);
            }
            return Optional.empty();
        }
        write(file, errors);
        return Optional.of(file);
    }

    /** " (see errors.csv)" for a file {@link #writeIfAny} wrote, "" for none: for the end of a message. */
    public static String seeAlso(Optional<Path> written) {
        return written.map(file -> " (see " + file + ")").orElse("");
    }

    /** Writes {@code errors} to {@code file} atomically (a temporary file, then a rename), even when empty. */
    public static void write(Path file, List<SampleError> errors) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(HEADER.toArray(String[]::new))
                .setRecordSeparator("\n").build();
        try {
            AtomicFiles.write(file, writer -> {
                try (CSVPrinter printer = new CSVPrinter(writer, format)) {
                    for (SampleError error : errors) {
                        printer.printRecord(error.file(), error.line(), error.id(), error.reason());
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
