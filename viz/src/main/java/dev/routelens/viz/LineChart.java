package dev.routelens.viz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Lines over a shared x axis, e.g. training loss against step. */
public final class LineChart {
    private LineChart() {
    }

    /**
     * @param x shared x values [N]
     * @param names series names [S]
     * @param ys [S][N]
     */
    public static void write(Path dir, String name, String title, String xTitle, String yTitle, double[] x,
                             List<String> names, List<double[]> ys) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Fonts.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        for (int s = 0; s < names.size(); s++) {
            XYSeries series = chart.addSeries(names.get(s), x, ys.get(s));
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(ClassStyle.of("", s).color());
        }
        PlotWriter.write(dir, name, PlotWriter.single(chart), 900, 520);
        List<String> header = new ArrayList<>(List.of(xTitle));
        header.addAll(names);
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            List<Object> row = new ArrayList<>();
            row.add(x[i]);
            for (double[] y : ys) {
                row.add(y[i]);
            }
            rows.add(row);
        }
        PlotWriter.writeCsv(dir.resolve(name + ".csv"), header, rows);
    }
}
