package dev.routelens.samples;

import dev.routelens.core.Labels;
import dev.routelens.core.InputKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tab-separated molecules with a header naming a {@code smiles} column and optionally {@code id},
 * {@code source} and {@code label} (the shared corpus molecules.tsv: smiles, source, id), in any case;
 * other named columns are ignored. Label defaults to {@code molecules}, id to {@code <file stem>-<line>}.
 * No quoting; blank lines are skipped. Every row must have as many fields as the header, so that a
 * stray tab never shifts a value into the wrong column unnoticed. A header without a {@code smiles}
 * column, or naming a column twice, is one error that says how many lines below it were not read.
 */
final class TsvFormat implements SampleFormat {
    private static final List<String> NAMES = List.of("smiles", "id", "source", "label");

    @Override
    public void read(Path file, SampleCollector out) {
        String name = file.toString();
        String stem = SmilesFormat.stem(file);
        List<DecodedLine> lines = Utf8Lines.readAll(file);
        Header header = null;
        for (int i = 0; i < lines.size(); i++) {
            DecodedLine line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (header == null) {
                String problem = line.ok() ? null : "the TSV header is not valid text: " + line.problem();
                header = problem == null ? Header.of(line.text().split("\t", -1)) : null;
                problem = problem != null ? problem : header.problem();
                if (problem != null) {
                    long below = lines.subList(i + 1, lines.size()).stream().filter(l -> !l.isBlank()).count();
                    out.reject(name, line.number(), "", problem + CsvFormat.notRead(below));
                    return;
                }
                continue;
            }
            if (!line.ok()) {
                out.reject(name, line);
                continue;
            }
            String[] fields = line.text().split("\t", -1);
            String id = header.value(fields, "id");
            id = id == null || id.isBlank() ? stem + "-" + line.number() : id;
            if (fields.length != header.names.size()) {
                out.reject(name, line.number(), id.strip(), "expected " + header.names.size() + " tab-separated fields ("
                        + String.join(", ", header.names) + "), found " + fields.length);
                continue;
            }
            String label = header.value(fields, "label");
            out.accept(name, line.number(), id, label == null || label.isBlank() ? Labels.MOLECULES : label,
                    InputKind.SMILES.id(), header.value(fields, "smiles"), header.value(fields, "source"));
        }
    }

    /**
     * @param names the header's column names, stripped
     * @param index [smiles, id, source, label] column indexes, -1 when absent
     * @param twice a known column named twice, or null
     */
    private record Header(List<String> names, int[] index, String twice) {
        static Header of(String[] fields) {
            List<String> names = new ArrayList<>();
            int[] index = {-1, -1, -1, -1};
            String twice = null;
            for (int i = 0; i < fields.length; i++) {
                String column = fields[i].strip();
                names.add(column);
                int known = NAMES.indexOf(column.toLowerCase(Locale.ROOT));
                if (known >= 0 && index[known] >= 0 && twice == null) {
                    twice = column;
                } else if (known >= 0) {
                    index[known] = i;
                }
            }
            return new Header(names, index, twice);
        }

        String problem() {
            if (twice != null) {
                return "the TSV header names column '" + twice + "' twice";
            }
            return index[0] < 0 ? "TSV header lacks a 'smiles' column" : null;
        }

        String value(String[] fields, String column) {
            int at = index[NAMES.indexOf(column)];
            return at < 0 || at >= fields.length ? null : fields[at];
        }
    }
}
