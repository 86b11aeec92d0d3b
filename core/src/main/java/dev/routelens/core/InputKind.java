package dev.routelens.core;

import java.util.Locale;

/** What an input document is: prose, a SMILES string, or an amino-acid sequence. */
public enum InputKind {
    TEXT,
    SMILES,
    PROTEIN;

    /** The lower-case name used in files and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code text}, {@code smiles} or {@code protein} (any case). */
    public static InputKind parse(String value) {
        if (value != null) {
            for (InputKind kind : values()) {
                if (kind.name().equalsIgnoreCase(value.strip())) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown kind '" + value + "' (expected text, smiles or protein)");
    }
}
