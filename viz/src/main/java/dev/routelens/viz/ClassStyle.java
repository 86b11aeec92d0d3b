package dev.routelens.viz;

import dev.routelens.core.Labels;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.style.markers.Circle;
import org.knowm.xchart.style.markers.Diamond;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.Square;
import org.knowm.xchart.style.markers.TriangleDown;
import org.knowm.xchart.style.markers.TriangleUp;
import org.knowm.xchart.style.markers.Trapezoid;

/**
 * Colour and marker of one class, fixed for the six Figure 1 classes (Okabe-Ito palette, safe for the common
 * colour-vision deficiencies) and assigned from a fallback palette (Paul Tol's "muted") for other labels.
 *
 * @param label  class name as given
 * @param color  fill colour
 * @param marker XChart marker shape
 */
public record ClassStyle(String label, Color color, Marker marker) {

    /** The Figure 1 classes, in legend order ({@link Labels#FIGURE1}). */
    public static final List<String> FIGURE1_CLASSES = Labels.FIGURE1;

    private static final Color[] FIGURE1_COLORS = {
        new Color(0x0072B2), // blue
        new Color(0xD55E00), // vermillion
        new Color(0x009E73), // bluish green
        new Color(0xE69F00), // orange
        new Color(0xCC79A7), // reddish purple
        new Color(0x56B4E9), // sky blue
    };
    private static final Marker[] MARKERS = {
        new Circle(), new Square(), new Diamond(), new TriangleUp(), new TriangleDown(), new Trapezoid(),
    };
    /** Paul Tol's "muted" palette, reordered so that neighbours differ most; then dark grey. */
    private static final Color[] FALLBACK_COLORS = {
        new Color(0x332288), new Color(0xCC6677), new Color(0x117733), new Color(0x88CCEE),
        new Color(0x999933), new Color(0xAA4499), new Color(0x44AA99), new Color(0x882255),
        new Color(0xDDCC77), new Color(0x444444),
    };

    public ClassStyle {
        if (label == null || color == null || marker == null) {
            throw new IllegalArgumentException("class style: label, color and marker are required");
        }
    }

    /** Index of {@code label} among {@link #FIGURE1_CLASSES} (case and spacing ignored), or -1. */
    public static int figure1Index(String label) {
        return Labels.figure1Index(label);
    }

    /**
     * Styles for {@code labels} in order: Figure 1 classes get their fixed style, the others the fallback
     * palette in the order given (so the same label list always gives the same styles).
     */
    public static List<ClassStyle> forLabels(List<String> labels) {
        List<ClassStyle> styles = new ArrayList<>(labels.size());
        int fallback = 0;
        for (String label : labels) {
            int fixed = figure1Index(label);
            if (fixed >= 0) {
                styles.add(new ClassStyle(label, FIGURE1_COLORS[fixed], MARKERS[fixed]));
            } else {
                styles.add(new ClassStyle(label, FALLBACK_COLORS[fallback % FALLBACK_COLORS.length],
                        MARKERS[fallback % MARKERS.length]));
                fallback++;
            }
        }
        return styles;
    }

    /** The style of a single label (unknown labels get the first fallback entry). */
    public static ClassStyle forLabel(String label) {
        return forLabels(List.of(label)).get(0);
    }

    /**
     * Distinct labels in legend order: the Figure 1 classes present, in their fixed order, then the other
     * labels in the order given.
     */
    public static List<String> order(Collection<String> labels) {
        Set<String> distinct = new LinkedHashSet<>(labels);
        List<String> ordered = new ArrayList<>();
        for (int canonical = 0; canonical < FIGURE1_CLASSES.size(); canonical++) {
            for (String label : distinct) {
                if (figure1Index(label) == canonical && !ordered.contains(label)) {
                    ordered.add(label);
                }
            }
        }
        for (String label : distinct) {
            if (figure1Index(label) < 0) {
                ordered.add(label);
            }
        }
        return ordered;
    }

    /** The colour with the given alpha (0-255). */
    public Color withAlpha(int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }
}
