package dev.routelens.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/** Grouped bars: categories on x (e.g. experts), one series per class. */
public final class BarChart {
    private BarChart() {
    }

    /**
     * @param categories x categories [C]
     * @param series class labels [S]
     * @param values [S][C]
     * @param reference a horizontal reference value (e.g. the uniform share 1/E), or NaN for none
     */
    public static void write(Path dir, String name, String title, String xTitle, String yTitle, List<String> categories,
                             List<String> series, double[][] values, double reference) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 60 * categories.size() * Math.max(1, series.size() / 2)))
                .height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Fonts.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisDecimalPattern("0.###");
        List<String> order = ClassStyle.order(series);
        for (int k = 0; k < order.size(); k++) {
            int s = series.indexOf(order.get(k));
            List<Double> ys = new ArrayList<>();
            for (double v : values[s]) {
                ys.add(Double.isFinite(v) ? v : 0.0);
            }
            CategorySeries cs = chart.addSeries(order.get(k), categories, ys);
            cs.setFillColor(ClassStyle.of(order.get(k), k).color());
        }
        if (Double.isFinite(reference)) {
            List<Double> ref = new ArrayList<>();
            categories.forEach(c -> ref.add(reference));
            CategorySeries r = chart.addSeries("uniform " + String.format("%.3f", reference), categories, ref);
            r.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
            r.setLineColor(java.awt.Color.DARK_GRAY);
            r.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        PlotWriter.write(dir, name, PlotWriter.single(chart), chart.getWidth(), chart.getHeight());
        List<String> header = new ArrayList<>(List.of("series"));
        header.addAll(categories);
        List<List<?>> rows = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            List<Object> row = new ArrayList<>();
            row.add(series.get(s));
            for (double v : values[s]) {
                row.add(v);
            }
            rows.add(row);
        }
        PlotWriter.writeCsv(dir.resolve(name + ".csv"), header, rows);
    }
}
