package dev.routelens.samples;

import java.util.Comparator;
import java.util.List;

/** The class labels of SciDFM's Figure 1 and the stable order labels are listed in. */
public final class Labels {
    public static final String MATHEMATICS = "mathematics";
    public static final String PHYSICS = "physics";
    public static final String CHEMISTRY = "chemistry";
    public static final String BIOLOGY = "biology";
    public static final String MOLECULES = "molecules";
    public static final String PROTEINS = "proteins";

    /** The six Figure 1 classes, in the order they are shown. */
    public static final List<String> FIGURE1 = List.of(MATHEMATICS, PHYSICS, CHEMISTRY, BIOLOGY, MOLECULES, PROTEINS);

    /** The Figure 1 labels first (in {@link #FIGURE1} order), then any others alphabetically. */
    public static final Comparator<String> ORDER = Comparator.comparingInt(Labels::figureRank)
            .thenComparing(Comparator.naturalOrder());

    private Labels() {
    }

    private static int figureRank(String label) {
        int index = FIGURE1.indexOf(label);
        return index < 0 ? FIGURE1.size() : index;
    }
}
