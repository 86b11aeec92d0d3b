package dev.routelens.core;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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

    /** Runs of whitespace, including no-break and other Unicode spaces. */
    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");

    private Labels() {
    }

    /**
     * {@code label} with surrounding whitespace removed and inner runs of whitespace (no-break spaces
     * included) made one space; the Figure 1 spelling when it names one of those classes in any case.
     */
    public static String canonical(String label) {
        String tidy = SPACES.matcher(label).replaceAll(" ").strip();
        for (String figure : FIGURE1) {
            if (figure.equalsIgnoreCase(tidy)) {
                return figure;
            }
        }
        return tidy;
    }

    /** What two labels that name the same class share: {@link #canonical} in lower case. */
    public static String key(String label) {
        return canonical(label).toLowerCase(Locale.ROOT);
    }

    /** Index of {@code label} among {@link #FIGURE1} (in any case and spacing, see {@link #canonical}), or -1. */
    public static int figure1Index(String label) {
        return label == null ? -1 : FIGURE1.indexOf(canonical(label));
    }

    private static int figureRank(String label) {
        int index = FIGURE1.indexOf(label);
        return index < 0 ? FIGURE1.size() : index;
    }
}
