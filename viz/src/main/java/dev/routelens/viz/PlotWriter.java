package dev.routelens.viz;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes charts, alone or composed in a grid, as PNG and SVG, and their data as CSV. Files are
 * written to a temp file beside the target and renamed, so a reader never sees half a plot.
 */
public final class PlotWriter {
    /** PNG resolution: charts are drawn at {@code DPI / 72} times their point size. */
    public static final int DPI = 200;

    private PlotWriter() {
    }

    /** Something that paints itself into a w x h box (a chart, or a grid of charts). */
    @FunctionalInterface
    public interface Painter {
        void paint(Graphics2D g, int width, int height);
    }

    /** A grid of charts, {@code columns} wide, each cell {@code cellWidth x cellHeight} points. */
    public static Painter grid(List<? extends Chart<?, ?>> charts, int columns, int cellWidth, int cellHeight) {
        return (g, w, h) -> {
            for (int i = 0; i < charts.size(); i++) {
                Graphics2D cell = (Graphics2D) g.create((i % columns) * cellWidth, (i / columns) * cellHeight,
                        cellWidth, cellHeight);
                charts.get(i).paint(cell, cellWidth, cellHeight);
                cell.dispose();
            }
        };
    }

    /** One chart at its own size. */
    public static Painter single(Chart<?, ?> chart) {
        return (g, w, h) -> chart.paint(g, w, h);
    }

    /** Writes {@code dir/name.png} and {@code dir/name.svg} of a {@code width x height}-point drawing. */
    public static void write(Path dir, String name, Painter painter, int width, int height) throws IOException {
        Files.createDirectories(dir);
        writePng(dir.resolve(name + ".png"), painter, width, height);
        writeSvg(dir.resolve(name + ".svg"), painter, width, height);
    }

    static void writePng(Path file, Painter painter, int width, int height) throws IOException {
        double scale = DPI / 72.0;
        BufferedImage img = new BufferedImage((int) Math.ceil(width * scale), (int) Math.ceil(height * scale),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.scale(scale, scale);
        painter.paint(g, width, height);
        g.dispose();
        atomically(file, out -> writePngWithDpi(img, out));
    }

    private static void writePngWithDpi(BufferedImage img, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), writer.getDefaultWriteParam());
        // The PNG-native pHYs chunk; the standard tree's pixel size is mis-scaled by the JDK's writer.
        String perMeter = Long.toString(Math.round(DPI / 0.0254));
        IIOMetadataNode phys = new IIOMetadataNode("pHYs");
        phys.setAttribute("pixelsPerUnitXAxis", perMeter);
        phys.setAttribute("pixelsPerUnitYAxis", perMeter);
        phys.setAttribute("unitSpecifier", "meter");
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        root.appendChild(phys);
        meta.mergeTree("javax_imageio_png_1.0", root);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, meta), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
    }

    static void writeSvg(Path file, Painter painter, int width, int height) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        painter.paint(g, width, height);
        var doc = new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height));
        atomically(file, doc::writeTo);
    }

    /** Writes a CSV with a header and rows. */
    public static void writeCsv(Path file, List<String> header, List<List<?>> rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        atomically(file, out -> {
            Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).build());
            for (List<?> row : rows) {
                p.printRecord(row);
            }
            p.flush();
        });
    }

    interface OutputBody {
        void write(OutputStream out) throws IOException;
    }

    static void atomically(Path file, OutputBody body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
            tmp.toFile().setReadable(true, false);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
