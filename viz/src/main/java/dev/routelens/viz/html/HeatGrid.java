package dev.routelens.viz.html;

import java.util.List;

/**
 * A rows x columns grid of one value per class, with the token count behind each value: the ablation sweep's
 * NLL deltas, for a report page to show as an interactive heat map (one panel per class on one diverging
 * scale; hovering a cell lists every class's value and tokens there).
 *
 * @param title what the values are
 * @param rowName the rows' name ("layer")
 * @param rows row names // [R]
 * @param columnName the columns' name ("expert")
 * @param columns column names // [C]
 * @param classes one panel per class, in legend order
 */
public record HeatGrid(String title, String rowName, List<String> rows, String columnName, List<String> columns,
                       List<Panel> classes) {

    public HeatGrid {
        classes = List.copyOf(classes);
        for (Panel p : classes) {
            if (p.values().length != rows.size() || p.tokens().length != rows.size()) {
                throw new IllegalArgumentException("heat grid: class " + p.label() + " has " + p.values().length
                        + " rows, expected " + rows.size());
            }
        }
    }

    /**
     * One class's values.
     *
     * @param label the class
     * @param color its colour, #rrggbb ({@link Colors#hex})
     * @param values the value per cell // [R][C]
     * @param tokens the tokens each value was measured on // [R][C]
     */
    public record Panel(String label, String color, double[][] values, long[][] tokens) {
    }
}
