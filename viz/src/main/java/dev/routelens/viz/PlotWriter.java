package dev.routelens.viz;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a {@link Plot} as {@code <name>.png} (at {@link #dpi()}, 150 or more), {@code <name>.svg} and
 * {@code <name>.csv} into one directory. Each file is rendered into a temporary file in that directory and
 * then moved over the target, so readers never see a half-written file.
 *
 * <p>Every plot paints itself once per file through {@link Plot#paint}: for the PNG onto one canvas scaled by
 * dpi / 72, with the dpi recorded in the PNG, for the SVG onto one VectorGraphics2D canvas. XChart charts paint
 * through {@link ChartText}, so their text is text in both. Rendering is headless.
 */
public final class PlotWriter {

    public static final int DEFAULT_DPI = 150;
    public static final int MIN_DPI = 150;
    public static final int MAX_DPI = 1200;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final Path directory;
    private final int dpi;

    public PlotWriter(Path directory) {
        this(directory, DEFAULT_DPI);
    }

    public PlotWriter(Path directory, int dpi) {
        if (directory == null) {
            throw new IllegalArgumentException("plot writer: no output directory");
        }
        if (dpi < MIN_DPI || dpi > MAX_DPI) {
            throw new IllegalArgumentException("plot writer: dpi must be in [" + MIN_DPI + ", " + MAX_DPI + "], got " + dpi);
        }
        this.directory = directory;
        this.dpi = dpi;
    }

    public Path directory() {
        return directory;
    }

    public int dpi() {
        return dpi;
    }

    /** Writes {@code name}.png, .svg and .csv; {@code name} is a plain file stem such as "figure1-tsne". */
    public WrittenPlot write(String name, Plot plot) throws IOException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("plot writer: '" + name + "' is not a plain file name stem");
        }
        Files.createDirectories(directory);
        Path png = directory.resolve(name + ".png");
        Path svg = directory.resolve(name + ".svg");
        Path csv = directory.resolve(name + ".csv");
        atomically(png, this::writePngTo, plot);
        atomically(svg, PlotWriter::writeSvgTo, plot);
        atomically(csv, PlotWriter::writeCsvTo, plot);
        return new WrittenPlot(png, svg, csv);
    }

    @FunctionalInterface
    private interface FileWriter {
        void write(Path file, Plot plot) throws IOException;
    }

    private static void atomically(Path target, FileWriter writer, Plot plot) throws IOException {
        String fileName = target.getFileName().toString();
        String extension = fileName.substring(fileName.lastIndexOf('.'));
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + fileName + ".", extension); // "fig.png" has no parent
        try {
            writer.write(temp, plot);
            if (Files.size(temp) == 0) {
                throw new IOException("rendering " + target + " produced an empty file");
            }
            readableByAll(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Temporary files are created owner-only; the published file gets the usual rw-r--r--. */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private void writePngTo(Path file, Plot plot) throws IOException {
        double scale = dpi / 72.0;
        int w = (int) Math.ceil(plot.width() * scale - 1e-9); // 900 points at 150 dpi: 1875, not 1875.0000000000002
        int h = (int) Math.ceil(plot.height() * scale - 1e-9);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.scale(scale, scale);
            plot.paint(g);
        } finally {
            g.dispose();
        }
        writePngWithDpi(image, file, dpi);
    }

    /**
     * PNG with its pixel density set to {@code dpi} in the native pHYs chunk (pixels per metre). The standard
     * metadata tree's pixel size is mis-scaled by the JDK's PNG writer, so it is not used.
     */
    static void writePngWithDpi(BufferedImage image, Path file, int dpi) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("no PNG writer available");
        }
        ImageWriter writer = writers.next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromBufferedImageType(image.getType()), param);
            String pixelsPerMetre = Long.toString(Math.round(dpi / 0.0254));
            IIOMetadataNode physical = new IIOMetadataNode("pHYs");
            physical.setAttribute("pixelsPerUnitXAxis", pixelsPerMetre);
            physical.setAttribute("pixelsPerUnitYAxis", pixelsPerMetre);
            physical.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(physical);
            metadata.mergeTree("javax_imageio_png_1.0", root);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
        } finally {
            writer.dispose();
        }
    }

    private static void writeSvgTo(Path file, Plot plot) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, plot.width(), plot.height());
        plot.paint(g);
        PageSize page = new PageSize(0.0, 0.0, plot.width(), plot.height());
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(g.getCommands(), page).writeTo(svg);
        Files.writeString(file, withGenericFamily(svg.toString(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** VectorGraphics2D names the physical font ("DejaVu Sans"); a reader without it should still get a sans serif. */
    private static final Pattern FONT_FAMILY = Pattern.compile("font-family:(&quot;[^&;]*&quot;);");

    /** {@code svg} with each font family followed by the generic family of {@link PlotStyle#FONT_FAMILY}. */
    static String withGenericFamily(String svg) {
        return FONT_FAMILY.matcher(svg).replaceAll("font-family:$1, sans-serif;");
    }

    private static void writeCsvTo(Path file, Plot plot) throws IOException {
        DataTable table = plot.data();
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader(table.header().toArray(String[]::new))
                .setRecordSeparator("\n")
                .build();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(out, format)) {
            for (java.util.List<String> row : table.rows()) {
                printer.printRecord(row);
            }
        }
    }
}
