package dev.routelens.samples;

import dev.routelens.core.InputKind;
import java.util.Objects;

/**
 * One input document of a sample set.
 *
 * @param id unique within its set
 * @param label its class, e.g. {@code physics} or {@code molecules}
 * @param kind prose, SMILES or amino-acid sequence
 * @param text the document itself (a SMILES string or an upper-case sequence for those kinds)
 * @param source where it came from (a file and record, a database accession)
 * @param file the file it was read from, "" when it was not read from one
 * @param line its 1-based line in {@code file} (the first line of a multi-line record), 0 when unknown
 */
public record Sample(String id, String label, InputKind kind, String text, String source, String file, long line) {
    public Sample {
        Objects.requireNonNull(id, "sample id");
        Objects.requireNonNull(label, "sample label");
        Objects.requireNonNull(kind, "sample kind");
        Objects.requireNonNull(text, "sample text");
        Objects.requireNonNull(source, "sample source");
        Objects.requireNonNull(file, "sample file");
        if (line < 0) {
            throw new IllegalArgumentException("sample " + id + ": line must be >= 0, got " + line);
        }
        if (id.isBlank()) {
            throw new IllegalArgumentException("sample id is blank");
        }
        if (label.isBlank()) {
            throw new IllegalArgumentException("sample " + id + ": label is blank");
        }
    }

    /** A sample made in code rather than read from a file: no file, line 0. */
    public Sample(String id, String label, InputKind kind, String text, String source) {
        this(id, label, kind, text, source, "", 0);
    }
}
