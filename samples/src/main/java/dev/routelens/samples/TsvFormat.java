package dev.routelens.samples;

import dev.routelens.model.InputKind;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Tab-separated molecules with a header naming a {@code smiles} column and optionally {@code id},
 * {@code source} and {@code label} (the shared corpus molecules.tsv: smiles, source, id). Label
 * defaults to {@code molecules}, id to {@code <file stem>-<line>}. No quoting; blank lines are skipped.
 */
final class TsvFormat implements SampleFormat {
    @Override
    public void read(Path file, SampleCollector out) {
        String name = file.toString();
        String stem = SmilesFormat.stem(file);
        int[][] header = {null}; // [smiles, id, source, label] column indexes, -1 when absent
        Utf8Lines.read(file, line -> {
            if (!line.ok()) {
                out.reject(name, line);
                return;
            }
            if (line.isBlank()) {
                return;
            }
            String[] fields = line.text().split("\t", -1);
            if (header[0] == null) {
                header[0] = columns(fields);
                if (header[0][0] < 0) {
                    out.reject(name, line.number(), "", "TSV header lacks a 'smiles' column");
                    header[0] = new int[] {-2, -1, -1, -1};
                }
                return;
            }
            int[] columns = header[0];
            if (columns[0] == -2) {
                return; // header already reported
            }
            String id = value(fields, columns[1]);
            id = id == null || id.isBlank() ? stem + "-" + line.number() : id;
            if (columns[0] >= fields.length) {
                out.reject(name, line.number(), id.strip(), "no 'smiles' field (found " + fields.length + " fields)");
                return;
            }
            String label = value(fields, columns[3]);
            out.accept(name, line.number(), id, label == null || label.isBlank() ? Labels.MOLECULES : label,
                    InputKind.SMILES.id(), fields[columns[0]], value(fields, columns[2]));
        });
    }

    private static int[] columns(String[] header) {
        int[] columns = {-1, -1, -1, -1};
        String[] names = {"smiles", "id", "source", "label"};
        for (int i = 0; i < header.length; i++) {
            String column = header[i].strip().toLowerCase(Locale.ROOT);
            for (int k = 0; k < names.length; k++) {
                if (column.equals(names[k]) && columns[k] < 0) {
                    columns[k] = i;
                }
            }
        }
        return columns;
    }

    private static String value(String[] fields, int index) {
        return index < 0 || index >= fields.length ? null : fields[index];
    }
}
