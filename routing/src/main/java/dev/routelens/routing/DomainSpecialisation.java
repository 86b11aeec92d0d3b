package dev.routelens.routing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;
import java.util.List;

/**
 * Per-class domain specialisation (OLMoE, arXiv 2409.02060, "Domain specialization"): at each MoE layer, the
 * fraction of an expert's top-k slots that come from each class, {@code N(expert, class) / N(expert)}.
 *
 * <p>That raw share grows with a class's size: with classes of unequal token counts a class that is half the
 * tokens gets about half of every expert's slots under routing that ignores the class. The size-normalised form
 * divides each count by its class's token count first, {@code (N(e, c) / T_c) / sum_c' (N(e, c') / T_c')}, so
 * that class-blind routing gives 1/C for every class; with equal class sizes the two forms are equal.
 *
 * @param classes the real class labels, sorted (no {@link RoutingReport#ALL_CLASSES}) // [C]
 * @param classTokens tokens per class, T_c // [C]
 * @param equalClassSizes whether every class has the same token count
 * @param layers real indices of the MoE layers // [M]
 * @param share N(e, c) / N(e); NaN for an expert never chosen // [M][E][C]
 * @param shareSizeNormalised (N(e, c) / T_c) / sum_c' (N(e, c') / T_c'); NaN for an expert never chosen // [M][E][C]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) // JSON keys snake_case, as in every output
public record DomainSpecialisation(List<String> classes, long[] classTokens, boolean equalClassSizes, int[] layers,
                                   double[][][] share, double[][][] shareSizeNormalised) {

    public DomainSpecialisation {
        classes = List.copyOf(classes);
        if (classTokens.length != classes.size() || share.length != layers.length
                || shareSizeNormalised.length != layers.length) {
            throw new IllegalArgumentException("domain specialisation: " + classes.size() + " classes, "
                    + classTokens.length + " token counts, " + layers.length + " layers, " + share.length
                    + " and " + shareSizeNormalised.length + " share tables do not match");
        }
    }

    /** From slot counts N(e, c) per layer slot // [M][E][C] and tokens per class // [C]. */
    static DomainSpecialisation of(List<String> classes, long[] classTokens, int[] layers, long[][][] counts) {
        boolean equal = Arrays.stream(classTokens).distinct().count() <= 1;
        double[][][] share = new double[layers.length][][]; // [M][E][C]
        double[][][] normalised = new double[layers.length][][]; // [M][E][C]
        for (int m = 0; m < layers.length; m++) {
            int experts = counts[m].length;
            share[m] = new double[experts][classes.size()];
            normalised[m] = new double[experts][classes.size()];
            for (int e = 0; e < experts; e++) {
                long total = 0;
                double rateTotal = 0;
                for (int c = 0; c < classes.size(); c++) {
                    total += counts[m][e][c];
                    rateTotal += counts[m][e][c] / (double) classTokens[c];
                }
                for (int c = 0; c < classes.size(); c++) {
                    share[m][e][c] = total == 0 ? Double.NaN : counts[m][e][c] / (double) total;
                    normalised[m][e][c] = total == 0 ? Double.NaN : counts[m][e][c] / (double) classTokens[c] / rateTotal;
                }
            }
        }
        return new DomainSpecialisation(classes, classTokens.clone(), equal, layers.clone(), share, normalised);
    }

    /** N(expert, class) / N(expert) at real MoE layer {@code layer}. */
    public double share(int layer, int expert, String label) {
        return share[slot(layer)][expert][classIndex(label)];
    }

    /** The size-normalised share at real MoE layer {@code layer}. */
    public double shareSizeNormalised(int layer, int expert, String label) {
        return shareSizeNormalised[slot(layer)][expert][classIndex(label)];
    }

    private int slot(int layer) {
        for (int m = 0; m < layers.length; m++) {
            if (layers[m] == layer) {
                return m;
            }
        }
        throw new IllegalArgumentException("domain specialisation has no MoE layer " + layer);
    }

    private int classIndex(String label) {
        int c = classes.indexOf(label);
        if (c < 0) {
            throw new IllegalArgumentException("domain specialisation has no class '" + label + "'");
        }
        return c;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DomainSpecialisation that
                && classes.equals(that.classes)
                && Arrays.equals(classTokens, that.classTokens)
                && equalClassSizes == that.equalClassSizes
                && Arrays.equals(layers, that.layers)
                && Arrays.deepEquals(share, that.share)
                && Arrays.deepEquals(shareSizeNormalised, that.shareSizeNormalised);
    }

    @Override
    public int hashCode() {
        return 31 * classes.hashCode() + Arrays.hashCode(classTokens);
    }

    @Override
    public String toString() {
        return "DomainSpecialisation[classes=" + classes + ", classTokens=" + Arrays.toString(classTokens)
                + ", equalClassSizes=" + equalClassSizes + ", layers=" + Arrays.toString(layers) + "]";
    }
}
