package dev.routelens.routing;

import dev.routelens.model.MoeConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulates routing statistics per layer and per class label over a stream of documents.
 *
 * <p>{@link #add(DocumentRouting)} reads a document's gate logits once and keeps only counters,
 * never the logits. Per token and layer the router softmax is taken in double and the top-k
 * experts are chosen by the {@link TopK} rule (ties to the lower index). From that:
 *
 * <ul>
 *   <li><b>expert share</b>: fraction of top-k slots per expert (uniform = 1/E);
 *   <li><b>repetition</b>: over consecutive tokens t, t+1 of the same document, how often the
 *       first choice is equal (random {@link #randomBaselineTop1}) and how often the top-k sets
 *       intersect (random {@link #randomBaselineEither}); pairs never cross documents;
 *   <li><b>vocabulary specialisation</b>: per token id, uses of its most-used <em>top-1</em>
 *       expert divided by its occurrences, averaged (unweighted) over the ids seen at least
 *       {@code minTokenOccurrences} times within the class (for {@link RoutingReport#ALL_CLASSES},
 *       the occurrences pooled over every class);
 *   <li><b>co-activation</b>: P(j chosen | i chosen) within one token's top-k, diagonal 1;
 *   <li><b>load balance</b>: E * sum_e f_e * P_e, f_e the fraction of top-k assignments and P_e
 *       the mean router probability (Switch/Mixtral auxiliary-loss form; 1 when uniform);
 *   <li><b>entropy</b>: mean per-token entropy of the router softmax, in nats;
 *   <li><b>domain-expert mutual information</b> per layer: I(class; expert) over the top-k slot counts
 *       N(class, expert), and I / sqrt(H(class) H(expert)) ({@link ClassExpertInformation});
 *   <li><b>domain specialisation</b> per layer: N(expert, class) / N(expert), raw and with each class's counts
 *       divided by its token count first ({@link DomainSpecialisation});
 *   <li><b>layer-to-layer transitions</b> between consecutive MoE layers: counts of (first choice at m, first
 *       choice at m+1) per token, P(j | i) and the mutual information of the two ({@link LayerTransitions});
 *   <li><b>token specialisation</b> keyed by input token, true next token and, given the model's outputs,
 *       predicted next token, over all classes ({@link TokenSpecialisation}), with the same minimum count;
 *   <li><b>expert saliency</b>, given the model's outputs: mean routing weight x expert-output norm over each
 *       expert's tokens, per class ({@link ExpertSaliency}).
 * </ul>
 *
 * <p>Layers are the model's MoE layers (M of them; a family's dense layers have no router), counted by
 * position and reported by real index ({@link LayerClassMetrics#layer()}).
 *
 * <p>Memory is O(classes * M * E^2) (co-activation and transitions) plus, for vocabulary specialisation, M*E int counters per
 * distinct token id per class. Not thread-safe.
 */
public final class RoutingMetrics implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Default minimum occurrences of a token id for vocabulary specialisation. */
    public static final int DEFAULT_MIN_TOKEN_OCCURRENCES = 5;

    private final int layers;       // M
    private final int[] moeLayers;  // [M] real indices
    private final int experts;
    private final int topK;
    private final int minTokenOccurrences;
    private final Map<String, ClassCounters> byLabel = new TreeMap<>();
    private TokenStudyCounts tokenStudies;

    /** Replaces this accumulator's counts with a snapshot's (same sizes), for resuming a run. */
    void restore(RoutingMetrics snapshot) {
        int[] snapshotLayers = snapshot.moeLayers != null ? snapshot.moeLayers : MoeLayers.all(snapshot.layers); // older snapshots
        if (snapshot.layers != layers || !java.util.Arrays.equals(snapshotLayers, moeLayers)
                || snapshot.experts != experts || snapshot.topK != topK
                || snapshot.minTokenOccurrences != minTokenOccurrences) {
            throw new IllegalArgumentException("routing-metrics snapshot has other sizes than this run");
        }
        for (Map.Entry<String, ClassCounters> entry : snapshot.byLabel.entrySet()) {
            if (entry.getValue().firstTransitions == null) { // written before transitions were counted
                throw new IllegalArgumentException("routing-metrics snapshot has no layer-to-layer transition counts"
                        + " (written by an older RouteLens); run again without --resume");
            }
        }
        if (snapshot.tokenStudies == null) {
            throw new IllegalArgumentException("routing-metrics snapshot has no token-specialisation or saliency counts"
                    + " (written by an older RouteLens); run again without --resume");
        }
        byLabel.clear();
        byLabel.putAll(snapshot.byLabel);
        tokenStudies = snapshot.tokenStudies;
    }

    /** Metrics for L layers (all MoE layers), E experts, top-k, with the default minimum of 5 occurrences. */
    public RoutingMetrics(int layers, int experts, int topK) {
        this(layers, experts, topK, DEFAULT_MIN_TOKEN_OCCURRENCES);
    }

    /** Metrics for L layers, all MoE layers. */
    public RoutingMetrics(int layers, int experts, int topK, int minTokenOccurrences) {
        this(MoeLayers.all(layers), experts, topK, minTokenOccurrences);
    }

    /** Metrics for the MoE layers {@code moeLayers} (real indices, ascending), E experts, top-k. */
    public RoutingMetrics(int[] moeLayers, int experts, int topK, int minTokenOccurrences) {
        int layers = moeLayers.length;
        if (layers < 1 || experts < 1) {
            throw new IllegalArgumentException("routing metrics need layers >= 1 and experts >= 1, got "
                    + layers + " and " + experts);
        }
        MoeLayers.check(moeLayers, layers, "routing metrics: ");
        if (topK < 1 || topK > experts) {
            throw new IllegalArgumentException("routing metrics: top-k " + topK + " must be between 1 and " + experts);
        }
        if (minTokenOccurrences < 1) {
            throw new IllegalArgumentException("routing metrics: minimum token occurrences must be >= 1, got "
                    + minTokenOccurrences);
        }
        this.layers = layers;
        this.moeLayers = moeLayers.clone();
        this.experts = experts;
        this.topK = topK;
        this.minTokenOccurrences = minTokenOccurrences;
        this.tokenStudies = new TokenStudyCounts(layers, experts, topK);
    }

    /** Metrics sized by a model configuration (its MoE layers, experts and top-k). */
    public static RoutingMetrics forConfig(MoeConfig config) {
        return new RoutingMetrics(config.moeLayers(), config.numExperts(), config.topK(), DEFAULT_MIN_TOKEN_OCCURRENCES);
    }

    /** Random-router probability that two tokens have the same first choice: 1/E. */
    public static double randomBaselineTop1(int experts) {
        if (experts < 1) {
            throw new IllegalArgumentException("random baseline: experts must be >= 1, got " + experts);
        }
        return 1.0 / experts;
    }

    /**
     * Random-router probability that two independent top-k sets intersect:
     * 1 - C(E-k, k) / C(E, k); 0.4643 for E=8, k=2.
     */
    public static double randomBaselineEither(int experts, int topK) {
        if (topK < 1 || topK > experts) {
            throw new IllegalArgumentException("random baseline: top-k " + topK + " must be between 1 and " + experts);
        }
        // C(E-k, k) / C(E, k) = prod_{i=0}^{k-1} (E-k-i) / (E-i); zero once E-k-i <= 0.
        double disjoint = 1;
        for (int i = 0; i < topK; i++) {
            disjoint *= Math.max(0, experts - topK - i) / (double) (experts - i);
        }
        return 1 - disjoint;
    }

    /** Counts one document's routing; its logits are not kept. */
    public void add(DocumentRouting document) {
        add(document, null);
    }

    /**
     * Counts one document's routing and, when {@code outputs} is not null, what its forward pass produced
     * (predicted next tokens, chosen experts' weights and output norms) for predicted-next token specialisation
     * and expert saliency.
     */
    public void add(DocumentRouting document, ExpertOutputs outputs) {
        String where = "document '" + document.id() + "': ";
        if (document.numLayers() != layers) {
            throw new IllegalArgumentException(where + "has " + document.numLayers() + " layers, expected " + layers);
        }
        if (!java.util.Arrays.equals(document.layers(), moeLayers)) {
            throw new IllegalArgumentException(where + "has MoE layers " + MoeLayers.list(document.layers())
                    + ", expected " + MoeLayers.list(moeLayers));
        }
        if (document.numExperts() != experts) {
            throw new IllegalArgumentException(where + "has " + document.numExperts() + " experts, expected " + experts);
        }
        if (outputs != null && (outputs.numTokens() != document.numTokens() || outputs.experts().length != layers)) {
            throw new IllegalArgumentException(where + "model outputs have " + outputs.numTokens() + " tokens and "
                    + outputs.experts().length + " MoE layers, expected " + document.numTokens() + " and " + layers);
        }
        if (RoutingReport.ALL_CLASSES.equals(document.label())) {
            throw new IllegalArgumentException(where + "label '" + RoutingReport.ALL_CLASSES + "' is reserved for the pooled rows");
        }
        ClassCounters counters = byLabel.computeIfAbsent(document.label(), label -> new ClassCounters(layers, experts));
        float[][][] logits = document.gateLogits(); // [L][T][E]
        int tokens = document.numTokens();
        double[] probabilities = new double[experts]; // [E]
        int[][] previous = new int[layers][topK]; // [L][k]
        int[][] current = new int[layers][topK]; // [L][k]
        for (int t = 0; t < tokens; t++) {
            int[] top1ByLayer = counters.tokenTop1.computeIfAbsent(document.tokenIds()[t], id -> new int[layers * experts]); // [L*E]
            for (int layer = 0; layer < layers; layer++) {
                TopK.softmax(logits[layer][t], probabilities);
                int[] chosen = current[layer]; // [k]
                TopK.indices(probabilities, topK, chosen);
                counters.entropySum[layer] += TopK.entropy(probabilities);
                double[] probabilitySum = counters.probabilitySum[layer]; // [E]
                for (int e = 0; e < experts; e++) {
                    probabilitySum[e] += probabilities[e];
                }
                long[][] coCounts = counters.coCounts[layer]; // [E][E]
                for (int from : chosen) {
                    counters.slotCounts[layer][from]++;
                    for (int to : chosen) {
                        coCounts[from][to]++;
                    }
                }
                int index = layer * experts + chosen[0];
                top1ByLayer[index] = Math.incrementExact(top1ByLayer[index]);
                if (t > 0) {
                    int[] before = previous[layer]; // [k]
                    if (before[0] == chosen[0]) {
                        counters.sameTop1[layer]++;
                    }
                    if (TopK.intersects(before, chosen)) {
                        counters.intersecting[layer]++;
                    }
                }
            }
            tokenStudies.addToken(t, document.tokenIds()[t], t + 1 < tokens ? document.tokenIds()[t + 1] : -1, outputs,
                    current);
            for (int layer = 1; layer < layers; layer++) {
                counters.firstTransitions[layer - 1][current[layer - 1][0]][current[layer][0]]++;
            }
            int[][] swap = previous;
            previous = current;
            current = swap;
        }
        tokenStudies.addDocument(document.label(), outputs);
        counters.documents++;
        counters.tokens += tokens;
        counters.pairs += tokens - 1;
    }

    /** Class labels seen so far, sorted. */
    public List<String> classLabels() {
        return List.copyOf(byLabel.keySet());
    }

    /**
     * The metrics so far: for every class label (sorted) and then for all classes pooled
     * ({@link RoutingReport#ALL_CLASSES}), one row per layer.
     */
    public RoutingReport report() {
        List<LayerClassMetrics> rows = new ArrayList<>();
        ClassCounters pooled = new ClassCounters(layers, experts);
        for (Map.Entry<String, ClassCounters> entry : byLabel.entrySet()) {
            rows.addAll(entry.getValue().metrics(entry.getKey(), moeLayers, topK, minTokenOccurrences));
            pooled.addAll(entry.getValue());
        }
        rows.addAll(pooled.metrics(RoutingReport.ALL_CLASSES, moeLayers, topK, minTokenOccurrences));
        List<LayerTransitions> transitions = new ArrayList<>();
        for (Map.Entry<String, ClassCounters> entry : byLabel.entrySet()) {
            transitions.addAll(entry.getValue().transitions(entry.getKey(), moeLayers));
        }
        transitions.addAll(pooled.transitions(RoutingReport.ALL_CLASSES, moeLayers));
        List<ClassExpertInformation> information = new ArrayList<>(layers);
        for (int layer = 0; layer < layers; layer++) {
            information.add(ClassExpertInformation.of(moeLayers[layer], classByExpert(layer)));
        }
        return new RoutingReport(layers, experts, topK, minTokenOccurrences,
                randomBaselineTop1(experts), randomBaselineEither(experts, topK), rows, information,
                domainSpecialisation(), transitions, tokenStudies.specialisation(moeLayers, minTokenOccurrences),
                tokenStudies.saliency(moeLayers), tokenStudies.outputsMissing());
    }

    /** N(expert, class) / N(expert) per layer, raw and size-normalised, over the real classes. */
    private DomainSpecialisation domainSpecialisation() {
        long[] classTokens = byLabel.values().stream().mapToLong(counters -> counters.tokens).toArray(); // [C]
        long[][][] counts = new long[layers][experts][byLabel.size()]; // [M][E][C]
        for (int layer = 0; layer < layers; layer++) {
            long[][] byClass = classByExpert(layer); // [C][E]
            for (int c = 0; c < byClass.length; c++) {
                for (int e = 0; e < experts; e++) {
                    counts[layer][e][c] = byClass[c][e];
                }
            }
        }
        return DomainSpecialisation.of(classLabels(), classTokens, moeLayers, counts);
    }

    /** Top-k slot counts N(class, expert) at layer slot {@code layer}, classes sorted. // [C][E] */
    private long[][] classByExpert(int layer) {
        long[][] counts = new long[byLabel.size()][];
        int c = 0;
        for (ClassCounters counters : byLabel.values()) {
            counts[c++] = counters.slotCounts[layer].clone();
        }
        return counts;
    }

    /** Counters of one class label. */
    private static final class ClassCounters implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int layers;
        private final int experts;
        long documents;
        long tokens;
        long pairs;
        final long[][] slotCounts; // [L][E]
        final double[][] probabilitySum; // [L][E]
        final double[] entropySum; // [L]
        final long[] sameTop1; // [L]
        final long[] intersecting; // [L]
        final long[][][] coCounts; // [L][E][E]
        /** First choice at MoE layer slot m (row) against slot m+1 (column). */
        final long[][][] firstTransitions; // [M-1][E][E]
        /** Token id -> top-1 counts per layer and expert. */
        final Map<Integer, int[]> tokenTop1 = new HashMap<>(); // id -> [L*E]

        ClassCounters(int layers, int experts) {
            this.layers = layers;
            this.experts = experts;
            slotCounts = new long[layers][experts];
            probabilitySum = new double[layers][experts];
            entropySum = new double[layers];
            sameTop1 = new long[layers];
            intersecting = new long[layers];
            coCounts = new long[layers][experts][experts];
            firstTransitions = new long[layers - 1][experts][experts];
        }

        void addAll(ClassCounters other) {
            documents += other.documents;
            tokens += other.tokens;
            pairs += other.pairs;
            for (int layer = 0; layer < layers; layer++) {
                entropySum[layer] += other.entropySum[layer];
                sameTop1[layer] += other.sameTop1[layer];
                intersecting[layer] += other.intersecting[layer];
                for (int e = 0; e < experts; e++) {
                    slotCounts[layer][e] += other.slotCounts[layer][e];
                    probabilitySum[layer][e] += other.probabilitySum[layer][e];
                    for (int to = 0; to < experts; to++) {
                        coCounts[layer][e][to] += other.coCounts[layer][e][to];
                        if (layer + 1 < layers) {
                            firstTransitions[layer][e][to] += other.firstTransitions[layer][e][to];
                        }
                    }
                }
            }
            for (Map.Entry<Integer, int[]> entry : other.tokenTop1.entrySet()) {
                int[] mine = tokenTop1.computeIfAbsent(entry.getKey(), id -> new int[layers * experts]); // [L*E]
                int[] theirs = entry.getValue(); // [L*E]
                for (int i = 0; i < mine.length; i++) {
                    mine[i] = Math.addExact(mine[i], theirs[i]);
                }
            }
        }

        /** First-choice transitions between each pair of consecutive MoE layers. */
        List<LayerTransitions> transitions(String label, int[] moeLayers) {
            List<LayerTransitions> pairs = new ArrayList<>(layers - 1);
            for (int m = 0; m + 1 < layers; m++) {
                pairs.add(LayerTransitions.of(label, moeLayers[m], moeLayers[m + 1], firstTransitions[m]));
            }
            return pairs;
        }

        /** One row per MoE layer, {@code moeLayers[slot]} naming each. */
        List<LayerClassMetrics> metrics(String label, int[] moeLayers, int topK, int minTokenOccurrences) {
            List<LayerClassMetrics> rows = new ArrayList<>(layers);
            for (int layer = 0; layer < layers; layer++) {
                double[] share = new double[experts]; // [E]
                double[] meanProbability = new double[experts]; // [E]
                double loadBalance = 0;
                for (int e = 0; e < experts; e++) {
                    share[e] = ratio(slotCounts[layer][e], (double) tokens * topK);
                    meanProbability[e] = ratio(probabilitySum[layer][e], tokens);
                    loadBalance += share[e] * meanProbability[e];
                }
                double[][] coActivation = new double[experts][experts]; // [E][E]
                for (int from = 0; from < experts; from++) {
                    long chosen = coCounts[layer][from][from];
                    for (int to = 0; to < experts; to++) {
                        coActivation[from][to] = from == to ? 1.0 : ratio(coCounts[layer][from][to], chosen);
                    }
                }
                double specialisationSum = 0;
                int specialisedIds = 0;
                for (int[] counts : tokenTop1.values()) { // [L*E]
                    long occurrences = 0;
                    int mostUsed = 0;
                    for (int e = 0; e < experts; e++) {
                        int count = counts[layer * experts + e];
                        occurrences += count;
                        mostUsed = Math.max(mostUsed, count);
                    }
                    if (occurrences >= minTokenOccurrences) {
                        specialisationSum += mostUsed / (double) occurrences;
                        specialisedIds++;
                    }
                }
                rows.add(new LayerClassMetrics(label, moeLayers[layer], documents, tokens, pairs, share, meanProbability,
                        ratio(sameTop1[layer], pairs), ratio(intersecting[layer], pairs),
                        ratio(specialisationSum, specialisedIds), specialisedIds, coActivation,
                        tokens == 0 ? Double.NaN : experts * loadBalance, ratio(entropySum[layer], tokens)));
            }
            return rows;
        }

        private static double ratio(double numerator, double denominator) {
            return denominator == 0 ? Double.NaN : numerator / denominator;
        }
    }
}
