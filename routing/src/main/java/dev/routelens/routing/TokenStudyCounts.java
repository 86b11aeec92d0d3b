package dev.routelens.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters of {@link RoutingMetrics}' per-token studies: {@link TokenSpecialisation} keyed three ways, and
 * {@link ExpertSaliency} per class. The input and true-next keys need only the routing; the predicted-next key and
 * saliency need the model's outputs ({@link ExpertOutputs}), which a layer-streamed run does not gather: they are
 * reported only when every document came with them.
 */
final class TokenStudyCounts implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int layers;
    private final int experts;
    private final TokenKeyCounts input;
    private final TokenKeyCounts trueNext;
    private final TokenKeyCounts predictedNext;
    private final Map<String, SaliencyCounts> saliency = new TreeMap<>();
    private long documentsWithOutputs;
    private long documentsWithoutOutputs;

    TokenStudyCounts(int layers, int experts, int topK) {
        this.layers = layers;
        this.experts = experts;
        input = new TokenKeyCounts(TokenSpecialisation.Key.INPUT, layers, experts, topK);
        trueNext = new TokenKeyCounts(TokenSpecialisation.Key.TRUE_NEXT, layers, experts, topK);
        predictedNext = new TokenKeyCounts(TokenSpecialisation.Key.PREDICTED_NEXT, layers, experts, topK);
    }

    /** Token t of a document: its id, the next id (-1 at the last token) and its top-k sets. // chosen [M][k] */
    void addToken(int t, int id, int nextId, ExpertOutputs outputs, int[][] chosen) {
        input.add(id, chosen);
        if (nextId >= 0) {
            trueNext.add(nextId, chosen);
        }
        if (outputs != null) {
            predictedNext.add(outputs.predictedNext()[t], chosen);
        }
    }

    /** After a document's tokens: its saliency sums, when its outputs were gathered. */
    void addDocument(String label, ExpertOutputs outputs) {
        if (outputs == null) {
            documentsWithoutOutputs++;
            return;
        }
        documentsWithOutputs++;
        saliency.computeIfAbsent(label, l -> new SaliencyCounts(layers, experts)).add(outputs);
    }

    /** Whether the output studies cover every document. */
    boolean outputsComplete() {
        return documentsWithOutputs > 0 && documentsWithoutOutputs == 0;
    }

    /** Why the output studies are missing, or null when they are not. */
    String outputsMissing() {
        if (outputsComplete()) {
            return null;
        }
        return documentsWithOutputs == 0 ? "not measured: the run gathered no model outputs (a layer-streamed model does not)"
                : "not measured: " + documentsWithoutOutputs + " documents came without model outputs";
    }

    /** Input, true-next and, when measured, predicted-next specialisation. */
    List<TokenSpecialisation> specialisation(int[] moeLayers, int minCount) {
        List<TokenSpecialisation> out = new ArrayList<>(List.of(input.report(moeLayers, minCount),
                trueNext.report(moeLayers, minCount)));
        if (outputsComplete()) {
            out.add(predictedNext.report(moeLayers, minCount));
        }
        return out;
    }

    /** Saliency per class and pooled, or null when not measured. */
    ExpertSaliency saliency(int[] moeLayers) {
        if (!outputsComplete()) {
            return null;
        }
        List<String> classes = new ArrayList<>(saliency.keySet());
        classes.add(RoutingReport.ALL_CLASSES);
        double[][][] score = new double[classes.size()][][];
        long[][][] tokens = new long[classes.size()][][];
        SaliencyCounts pooled = new SaliencyCounts(layers, experts);
        int c = 0;
        for (SaliencyCounts counts : saliency.values()) {
            score[c] = counts.scores();
            tokens[c++] = counts.tokenCopy();
            pooled.addAll(counts);
        }
        score[c] = pooled.scores();
        tokens[c] = pooled.tokenCopy();
        return new ExpertSaliency(classes, moeLayers.clone(), score, tokens);
    }
}
