package dev.routelens.viz;

import java.util.ArrayList;
import java.util.List;

/**
 * The numbers behind a plot, as written to its CSV: a header and rows of equal width.
 *
 * @param header column names
 * @param rows   cell texts, each row as wide as the header
 */
public record DataTable(List<String> header, List<List<String>> rows) {

    public DataTable {
        header = List.copyOf(header);
        List<List<String>> copied = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("data table: row " + r + " has " + row.size()
                        + " cells, header has " + header.size());
            }
            copied.add(List.copyOf(row));
        }
        rows = List.copyOf(copied);
    }

    /** A number as CSV text: shortest exact decimal form, "NaN" for NaN. */
    /** {@code name} as a CSV column name: lower case, runs of other characters as one underscore ("t-SNE 1" -> "t_sne_1"). */
    public static String column(String name) {
        String c = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        return c.isEmpty() ? "value" : c;
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
