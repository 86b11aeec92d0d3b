package dev.routelens.routing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Expert saliency without ablation (REAP, Lasby et al. 2025, arXiv 2510.13999): for expert e at a MoE layer, the
 * mean over the tokens routed to it of (applied routing weight x L2 norm of its unweighted output),
 * {@code S_e = (1 / |X_e|) sum_{x in X_e} g_e(x) ||f_e(x)||_2}. Experts whose score is small add little to the
 * residual stream where they are chosen; a ranking by S is a pruning order that needs no ablation.
 *
 * @param classes class labels, sorted, then {@link RoutingReport#ALL_CLASSES} // [C]
 * @param layers real indices of the MoE layers // [M]
 * @param score S per class, MoE layer and expert; NaN for an expert no token of the class chose // [C][M][E]
 * @param tokens |X_e|, the tokens that chose the expert // [C][M][E]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) // JSON keys snake_case, as in every output
public record ExpertSaliency(List<String> classes, int[] layers, double[][][] score, long[][][] tokens) {

    /** One expert's place in a ranking. */
    public record Ranked(int layer, int expert, double score, long tokens) {
    }

    public ExpertSaliency {
        classes = List.copyOf(classes);
        if (score.length != classes.size() || tokens.length != classes.size()) {
            throw new IllegalArgumentException("expert saliency: " + classes.size() + " classes, " + score.length
                    + " score tables, " + tokens.length + " token tables");
        }
    }

    /** S of {@code label} at real MoE layer {@code layer}. // [E] */
    public double[] score(String label, int layer) {
        return score[classIndex(label)][slot(layer)].clone();
    }

    /**
     * Every (layer, expert) of {@code label} from the most salient down; experts no token chose come last.
     * Ties keep layer-then-expert order.
     */
    public List<Ranked> ranking(String label) {
        int c = classIndex(label);
        List<Ranked> all = new ArrayList<>();
        for (int m = 0; m < layers.length; m++) {
            for (int e = 0; e < score[c][m].length; e++) {
                all.add(new Ranked(layers[m], e, score[c][m][e], tokens[c][m][e]));
            }
        }
        all.sort(Comparator.comparingDouble((Ranked r) -> Double.isNaN(r.score()) ? Double.NEGATIVE_INFINITY : r.score())
                .reversed());
        return all;
    }

    /**
     * The experts of real MoE layer {@code layer} for {@code label}, most salient first: REAP prunes within each
     * layer, and scores differ in scale between layers. Experts no token chose come last.
     */
    public List<Ranked> ranking(String label, int layer) {
        return ranking(label).stream().filter(r -> r.layer() == layer).toList();
    }

    /** The real class labels, {@link RoutingReport#ALL_CLASSES} left out. */
    @JsonIgnore
    public List<String> realClasses() {
        return classes.stream().filter(l -> !l.equals(RoutingReport.ALL_CLASSES)).toList();
    }

    private int classIndex(String label) {
        int c = classes.indexOf(label);
        if (c < 0) {
            throw new IllegalArgumentException("expert saliency has no class '" + label + "'; it has " + classes);
        }
        return c;
    }

    private int slot(int layer) {
        for (int m = 0; m < layers.length; m++) {
            if (layers[m] == layer) {
                return m;
            }
        }
        throw new IllegalArgumentException("expert saliency has no MoE layer " + layer);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExpertSaliency that && classes.equals(that.classes)
                && java.util.Arrays.equals(layers, that.layers) && java.util.Arrays.deepEquals(score, that.score)
                && java.util.Arrays.deepEquals(tokens, that.tokens);
    }

    @Override
    public int hashCode() {
        return 31 * classes.hashCode() + java.util.Arrays.hashCode(layers);
    }

    @Override
    public String toString() {
        return "ExpertSaliency[classes=" + classes + ", layers=" + java.util.Arrays.toString(layers) + "]";
    }
}
