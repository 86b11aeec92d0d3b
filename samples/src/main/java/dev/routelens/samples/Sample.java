package dev.routelens.samples;

import dev.routelens.model.InputKind;
import java.util.Objects;

/**
 * One input document of a sample set.
 *
 * @param id unique within its set
 * @param label its class, e.g. {@code physics} or {@code molecules}
 * @param kind prose, SMILES or amino-acid sequence
 * @param text the document itself (a SMILES string or an upper-case sequence for those kinds)
 * @param source where it came from (a file and record, a database accession)
 */
public record Sample(String id, String label, InputKind kind, String text, String source) {
    public Sample {
        Objects.requireNonNull(id, "sample id");
        Objects.requireNonNull(label, "sample label");
        Objects.requireNonNull(kind, "sample kind");
        Objects.requireNonNull(text, "sample text");
        Objects.requireNonNull(source, "sample source");
        if (id.isBlank()) {
            throw new IllegalArgumentException("sample id is blank");
        }
        if (label.isBlank()) {
            throw new IllegalArgumentException("sample " + id + ": label is blank");
        }
    }
}
