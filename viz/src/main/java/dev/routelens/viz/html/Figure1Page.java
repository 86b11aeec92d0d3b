package dev.routelens.viz.html;

import dev.routelens.viz.ClassStyle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * figure1.html: the embedding as a point cloud to rotate, zoom and hover, 3-D or 2-D as computed, in the PNG's
 * class colours ({@link ClassStyle}), with a legend that hides classes and the metrics beside it. The data is
 * columnar (one array per field), so 20,000 documents cost a few bytes each beyond their texts.
 *
 * @param title the heading
 * @param axis the axis name, "t-SNE" or "PC"
 * @param ids document ids // [N]
 * @param labels class labels // [N]
 * @param kinds input kinds // [N]
 * @param texts each document's text, cut to {@link #TEXT_CHARS} // [N]
 * @param coords the embedding // [N][2 or 3]
 * @param metrics the side panel's facts (metrics.json's map)
 */
public record Figure1Page(String title, String axis, List<String> ids, List<String> labels, List<String> kinds,
                          List<String> texts, double[][] coords, Object metrics) {
    /** How much of each text the hover card shows. */
    public static final int TEXT_CHARS = 200;

    public Figure1Page {
        int n = ids.size();
        if (labels.size() != n || kinds.size() != n || texts.size() != n || coords.length != n) {
            throw new IllegalArgumentException("figure1 page: " + n + " ids, " + labels.size() + " labels, "
                    + kinds.size() + " kinds, " + texts.size() + " texts, " + coords.length + " points");
        }
        if (n > 0 && coords[0].length != 2 && coords[0].length != 3) {
            throw new IllegalArgumentException("figure1 page: points have " + coords[0].length + " dimensions, not 2 or 3");
        }
    }

    /** The first {@link #TEXT_CHARS} characters of {@code text}, never splitting a surrogate pair. */
    public static String cut(String text) {
        if (text.length() <= TEXT_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(TEXT_CHARS - 1)) ? TEXT_CHARS - 1 : TEXT_CHARS;
        return text.substring(0, end) + "…";
    }

    /** Writes the page to {@code file}, atomically. */
    public void write(Path file) throws IOException {
        HtmlPage.write(file, "figure1", title, data());
    }

    Map<String, Object> data() {
        int n = ids.size();
        int dims = n == 0 ? 2 : coords[0].length;
        List<String> order = ClassStyle.order(labels);
        List<ClassStyle> styles = ClassStyle.forLabels(order);
        int[] cls = new int[n];
        int[] counts = new int[order.size()];
        float[][] columns = new float[dims][n]; // [dims][N]
        for (int i = 0; i < n; i++) {
            cls[i] = order.indexOf(labels.get(i));
            counts[cls[i]]++;
            for (int k = 0; k < dims; k++) {
                columns[k][i] = (float) coords[i][k];
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", title);
        data.put("axis", axis);
        data.put("dims", dims);
        data.put("classes", java.util.stream.IntStream.range(0, order.size()).mapToObj(c -> Map.of(
                "label", order.get(c), "color", Colors.hex(styles.get(c).color()), "count", counts[c])).toList());
        data.put("x", columns[0]);
        data.put("y", columns[1]);
        data.put("z", dims == 3 ? columns[2] : null);
        data.put("cls", cls);
        data.put("id", ids);
        data.put("kind", kinds);
        data.put("text", texts.stream().map(Figure1Page::cut).toList());
        data.put("metrics", metrics);
        return data;
    }
}
