package dev.routelens.samples;

import dev.routelens.model.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes rejected records as CSV with the header {@code file,line,id,reason}. */
public final class ErrorsCsv {
    public static final List<String> HEADER = List.of("file", "line", "id", "reason");

    private ErrorsCsv() {
    }

    /** Writes {@code errors} to {@code file} atomically (a temporary file, then a rename). */
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
