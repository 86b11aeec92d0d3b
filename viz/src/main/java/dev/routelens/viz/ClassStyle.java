package dev.routelens.viz;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Fixed colours and markers per class, so every figure draws a class the same way. The six Figure 1
 * classes use the Okabe-Ito palette (distinguishable with colour-vision deficiencies) and distinct
 * marker shapes; other labels cycle through the rest.
 *
 * @param color fill colour
 * @param marker marker shape
 */
public record ClassStyle(Color color, Marker marker) {
    /** The Figure 1 classes in legend order. */
    public static final List<String> FIGURE1 = List.of("mathematics", "physics", "chemistry", "biology", "molecules", "proteins");

    private static final Map<String, ClassStyle> FIXED = Map.of(
            "mathematics", new ClassStyle(new Color(0, 114, 178), SeriesMarkers.CIRCLE),
            "physics", new ClassStyle(new Color(86, 180, 233), SeriesMarkers.DIAMOND),
            "chemistry", new ClassStyle(new Color(0, 158, 115), SeriesMarkers.SQUARE),
            "biology", new ClassStyle(new Color(230, 159, 0), SeriesMarkers.TRIANGLE_UP),
            "molecules", new ClassStyle(new Color(213, 94, 0), SeriesMarkers.TRIANGLE_DOWN),
            "proteins", new ClassStyle(new Color(204, 121, 167), SeriesMarkers.CROSS));

    private static final Color[] FALLBACK = {
        new Color(0, 0, 0), new Color(240, 228, 66), new Color(120, 120, 120), new Color(140, 86, 75),
        new Color(23, 190, 207), new Color(188, 189, 34)
    };
    private static final Marker[] FALLBACK_MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP
    };

    /** The style of {@code label}; {@code index} picks a fallback for labels outside Figure 1. */
    public static ClassStyle of(String label, int index) {
        ClassStyle fixed = FIXED.get(label);
        if (fixed != null) {
            return fixed;
        }
        return new ClassStyle(FALLBACK[Math.floorMod(index, FALLBACK.length)],
                FALLBACK_MARKERS[Math.floorMod(index / FALLBACK.length, FALLBACK_MARKERS.length)]);
    }

    /** Labels in legend order: Figure 1 classes first, then the rest as given. */
    public static List<String> order(List<String> labels) {
        List<String> distinct = labels.stream().distinct().toList();
        List<String> out = new java.util.ArrayList<>(FIGURE1.stream().filter(distinct::contains).toList());
        distinct.stream().filter(l -> !out.contains(l)).forEach(out::add);
        return out;
    }
}
