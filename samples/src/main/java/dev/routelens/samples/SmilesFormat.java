package dev.routelens.samples;

import dev.routelens.core.Labels;
import dev.routelens.core.InputKind;
import java.nio.file.Path;

/**
 * A {@code .smi} file: a SMILES string a line, optionally followed by whitespace and a name, which
 * becomes the id ({@code <file stem>-<line>} when absent); a name holding a tab (a third column) is
 * rejected rather than read as part of the id. Label {@code molecules}. Blank lines, lines starting
 * with '#' and a first line whose first word is "smiles" (a header) are skipped.
 */
final class SmilesFormat implements SampleFormat {
    @Override
    public void read(Path file, SampleCollector out) {
        String name = file.toString();
        String stem = stem(file);
        Utf8Lines.read(file, line -> {
            if (!line.ok()) {
                out.reject(name, line);
                return;
            }
            String text = line.text().strip();
            if (text.isEmpty() || text.startsWith("#")) {
                return;
            }
            String[] parts = text.split("\\s+", 2);
            if (line.number() == 1 && parts[0].equalsIgnoreCase("smiles")) {
                return;
            }
            String title = parts.length > 1 ? parts[1].strip() : "";
            String id = title.isEmpty() ? stem + "-" + line.number() : title;
            if (title.indexOf('\t') >= 0) {
                out.reject(name, line.number(), title.substring(0, title.indexOf('\t')).strip(),
                        "more than two tab-separated fields: a .smi line is a SMILES string and an optional name"
                                + " (for more columns, use a .tsv with a header)");
                return;
            }
            out.accept(name, line.number(), id, Labels.MOLECULES, InputKind.SMILES.id(), parts[0], null);
        });
    }

    static String stem(Path file) {
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
