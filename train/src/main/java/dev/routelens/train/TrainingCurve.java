package dev.routelens.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws train_log.csv's loss (and held-out loss where logged) against the step as a PNG, atomically. */
public final class TrainingCurve {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int MARGIN = 70;

    private TrainingCurve() {
    }

    /** Reads {@code logCsv} and writes {@code png}; does nothing when the log has no rows. */
    public static void draw(Path logCsv, Path png) throws IOException {
        List<List<String>> rows = TrainLog.read(logCsv);
        if (rows.isEmpty()) {
            return;
        }
        List<double[]> train = new ArrayList<>();
        List<double[]> heldout = new ArrayList<>();
        for (List<String> r : rows) {
            double step = Double.parseDouble(r.get(0));
            train.add(new double[] {step, Double.parseDouble(r.get(2))});
            if (!r.get(7).isEmpty()) {
                heldout.add(new double[] {step, Double.parseDouble(r.get(7))});
            }
        }
        double maxStep = Math.max(1, train.get(train.size() - 1)[0]);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (List<double[]> series : List.of(train, heldout)) {
            for (double[] p : series) {
                lo = Math.min(lo, p[1]);
                hi = Math.max(hi, p[1]);
            }
        }
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x0 = MARGIN;
        int y0 = HEIGHT - MARGIN;
        int x1 = WIDTH - 30;
        int y1 = 40;
        g.drawLine(x0, y0, x1, y0);
        g.drawLine(x0, y0, x0, y1);
        g.drawString("step", (x0 + x1) / 2, HEIGHT - 25);
        g.drawString("loss (nats/token)", 10, 25);
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            int y = (int) (y0 - (y0 - y1) * i / 4.0);
            g.drawString(String.format(Locale.ROOT, "%.2f", v), 15, y + 5);
            double s = maxStep * i / 4;
            int x = (int) (x0 + (x1 - x0) * i / 4.0);
            g.drawString(String.format(Locale.ROOT, "%.0f", s), x - 10, y0 + 20);
        }
        plot(g, train, new Color(31, 119, 180), maxStep, lo, hi, x0, y0, x1, y1);
        plot(g, heldout, new Color(214, 39, 40), maxStep, lo, hi, x0, y0, x1, y1);
        g.setColor(new Color(31, 119, 180));
        g.drawString("training loss (cross-entropy)", x1 - 260, y1 + 10);
        if (!heldout.isEmpty()) {
            g.setColor(new Color(214, 39, 40));
            g.drawString("held-out loss", x1 - 260, y1 + 28);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicWrite.bytes(png, bytes.toByteArray());
    }

    private static void plot(Graphics2D g, List<double[]> series, Color color, double maxStep, double lo, double hi,
                             int x0, int y0, int x1, int y1) {
        g.setColor(color);
        g.setStroke(new BasicStroke(1.5f));
        int px = -1;
        int py = -1;
        for (double[] p : series) {
            int x = (int) (x0 + (x1 - x0) * p[0] / maxStep);
            int y = (int) (y0 - (y0 - y1) * (p[1] - lo) / (hi - lo));
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            } else if (series.size() == 1) {
                g.fillOval(x - 3, y - 3, 6, 6);
            }
            px = x;
            py = y;
        }
    }
}
