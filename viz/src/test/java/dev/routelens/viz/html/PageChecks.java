package dev.routelens.viz.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** What every page test asserts on Chromium's output: a self-test report, no errors, colours on screen. */
public final class PageChecks {
    private PageChecks() {
    }

    /** The #selftest report the page wrote into its DOM, after checking it and the console hold no error. */
    public static JsonNode selftest(Chromium.Run run) throws Exception {
        assertEquals(List.of(), run.consoleErrors(), "console errors");
        String dom = run.stdout();
        int open = dom.indexOf("<pre id=\"selftest\">");
        assertTrue(open >= 0, "the page wrote no self-test report; DOM tail: " + dom.substring(Math.max(0, dom.length() - 600)));
        String text = dom.substring(open + "<pre id=\"selftest\">".length(), dom.indexOf("</pre>", open));
        JsonNode report = new ObjectMapper().readTree(text.replace("&lt;", "<").replace("&gt;", ">")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&"));
        assertEquals(0, report.path("errors").size(), "page errors: " + report.path("errors"));
        return report;
    }

    /** Copies a screenshot to target/page-shots/, where a person can look at it after the run. */
    public static void keep(Path png, String name) throws java.io.IOException {
        Path dir = Path.of("target", "page-shots");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.copy(png, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Pixels of {@code png} within 12 per channel of {@code rgb}. */
    public static int pixelsNear(Path png, int rgb) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        int count = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs((p >> 16 & 255) - (rgb >> 16 & 255)) <= 12 && Math.abs((p >> 8 & 255) - (rgb >> 8 & 255)) <= 12
                        && Math.abs((p & 255) - (rgb & 255)) <= 12) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Distinct colours in {@code png}: a blank page has one or two. */
    public static long distinctColours(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        return java.util.stream.IntStream.range(0, img.getWidth() * img.getHeight())
                .map(i -> img.getRGB(i % img.getWidth(), i / img.getWidth())).distinct().count();
    }
}
