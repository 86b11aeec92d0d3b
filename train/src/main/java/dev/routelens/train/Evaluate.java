package dev.routelens.train;

import dev.routelens.core.AtomicFiles;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.model.ContextWindows;
import dev.routelens.model.ForwardHooks;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.HookSite;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.SparseMoe;
import dev.routelens.model.TokenBatch;
import dev.routelens.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Held-out evaluation: mean next-token NLL (nats per predicted token) of (a) a trained checkpoint,
 * loaded by {@link ModelLoader} and run by the inference {@link MoeTransformer}, (b) the seeded random
 * init {@code RandomWeights.of(init_seed)} through the same forward, (c) a unigram model of the same
 * tokenizer fitted on the training documents with add-one smoothing. All three score exactly the same
 * targets: each held-out document (BOS first when the tokenizer adds one) is cut into windows of at most {@code window} tokens
 * and every token after a window's first is predicted. Also the trained model's expert load on the
 * held-out data: per layer, the fraction of top-k slots each expert received.
 *
 * <p>Run from the command line as {@code routelens evaluate --model DIR --config TRAIN_CONFIG [--window N]
 * [--out report.json]} (the cli module's {@code EvaluateCommand}).
 */
public final class Evaluate {

    /**
     * The evaluation's numbers.
     *
     * @param trainedNll mean NLL of the trained checkpoint
     * @param randomNll mean NLL of the random init
     * @param unigramNll mean NLL of the add-one unigram model
     * @param documents held-out documents
     * @param windows windows scored
     * @param predictedTokens targets scored (the NLL denominators)
     * @param expertLoad slot fraction per layer and expert on held-out data [L][E]
     * @param byLabel label -> {trained NLL, random-init NLL, unigram NLL, predicted tokens}, in label order
     */
    public record Report(double trainedNll, double randomNll, double unigramNll, int documents, int windows,
                         long predictedTokens, double[][] expertLoad, Map<String, double[]> byLabel) {

        /** The smallest slot fraction of any expert in any layer. */
        public double minLoad() {
            double m = Double.POSITIVE_INFINITY;
            for (double[] l : expertLoad) {
                for (double f : l) {
                    m = Math.min(m, f);
                }
            }
            return m;
        }

        /** The largest slot fraction of any expert in any layer. */
        public double maxLoad() {
            double m = Double.NEGATIVE_INFINITY;
            for (double[] l : expertLoad) {
                for (double f : l) {
                    m = Math.max(m, f);
                }
            }
            return m;
        }

        public ObjectNode toJson() {
            ObjectMapper json = new ObjectMapper();
            ObjectNode o = json.createObjectNode();
            o.put("heldout_nll_trained", trainedNll);
            o.put("heldout_nll_random_init", randomNll);
            o.put("heldout_nll_unigram", unigramNll);
            o.put("heldout_documents", documents);
            o.put("heldout_windows", windows);
            o.put("heldout_predicted_tokens", predictedTokens);
            o.put("expert_load_min", minLoad());
            o.put("expert_load_max", maxLoad());
            ObjectNode labels = o.putObject("by_label");
            for (Map.Entry<String, double[]> e : byLabel.entrySet()) {
                ObjectNode l = labels.putObject(e.getKey());
                l.put("nll_trained", e.getValue()[0]);
                l.put("nll_random_init", e.getValue()[1]);
                l.put("nll_unigram", e.getValue()[2]);
                l.put("predicted_tokens", (long) e.getValue()[3]);
            }
            ArrayNode layers = o.putArray("expert_load");
            for (double[] l : expertLoad) {
                ArrayNode row = layers.addArray();
                for (double f : l) {
                    row.add(f);
                }
            }
            return o;
        }

        /** Writes {@link #toJson} to {@code file}, pretty-printed, replacing it atomically. */
        public void write(Path file) throws IOException {
            AtomicFiles.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
        }
    }

    private Evaluate() {
    }

    /** One line per number, for logs and TRAINING.md. */
    public static String summary(Report r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "held-out: %d documents, %d windows, %d predicted tokens%n"
                        + "NLL trained %.4f | random init %.4f | unigram (add-one) %.4f nats/token%n"
                        + "expert load on held-out: min %.4f max %.4f (slot fraction per layer and expert)",
                r.documents(), r.windows(), r.predictedTokens(), r.trainedNll(), r.randomNll(), r.unigramNll(),
                r.minLoad(), r.maxLoad()));
        for (Map.Entry<String, double[]> e : r.byLabel().entrySet()) {
            double[] v = e.getValue();
            sb.append(String.format(Locale.ROOT, "%n  %-12s trained %.4f | random %.4f | unigram %.4f (%d tokens)",
                    e.getKey(), v[0], v[1], v[2], (long) v[3]));
        }
        return sb.toString();
    }

    /** Evaluates the checkpoint in {@code modelDir} on the held-out part of {@code config}'s data. */
    public static Report run(Path modelDir, TrainConfig config, int window) throws IOException {
        TrainingData data;
        try (Tokenizer tokenizer = Tokenizer.load(modelDir)) {
            data = TrainingData.load(config, tokenizer);
        }
        return run(modelDir, data, config.initSeed(), window);
    }

    /** Evaluates the checkpoint in {@code modelDir} on {@code data}'s held-out documents. */
    public static Report run(Path modelDir, TrainingData data, long initSeed, int window) throws IOException {
        if (window < 2) {
            throw new IllegalArgumentException("window must be at least 2 tokens, got " + window);
        }
        List<int[]> windows = windows(data, window);
        List<String> labels = windowLabels(data, window);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no held-out windows of two or more tokens to score");
        }
        MoeConfig mc;
        double[] trained;
        double[][] load;
        try (MoeTransformer model = ModelLoader.load(modelDir, Device.cpu(), Precision.F32)) {
            mc = model.config();
            long[][] slots = new long[mc.numLayers()][mc.numExperts()];
            trained = windowNll(model, windows, slots);
            load = new double[mc.numLayers()][mc.numExperts()];
            for (int i = 0; i < slots.length; i++) {
                long total = 0;
                for (long s : slots[i]) {
                    total += s;
                }
                for (int j = 0; j < slots[i].length; j++) {
                    load[i][j] = slots[i][j] / (double) total;
                }
            }
        }
        double[] random;
        try (MoeTransformer model = MoeTransformer.create(mc, RandomWeights.of(initSeed), Device.cpu(), Precision.F32)) {
            random = windowNll(model, windows, null);
        }
        UnigramModel unigramModel = UnigramModel.fit(data.trainingDocuments(), mc.vocabSize(), true);
        double[] unigram = new double[windows.size()];
        for (int w = 0; w < windows.size(); w++) {
            unigram[w] = unigramModel.meanNll(List.of(windows.get(w))) * (windows.get(w).length - 1);
        }
        // Sums per label (and "" for everything): {trained, random, unigram, tokens}.
        Map<String, double[]> sums = new LinkedHashMap<>();
        sums.put("", new double[4]);
        for (int w = 0; w < windows.size(); w++) {
            for (String key : new String[] {"", labels.get(w)}) {
                double[] acc = sums.computeIfAbsent(key, k -> new double[4]);
                acc[0] += trained[w];
                acc[1] += random[w];
                acc[2] += unigram[w];
                acc[3] += windows.get(w).length - 1;
            }
        }
        Map<String, double[]> byLabel = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] a = e.getValue();
            if (!e.getKey().isEmpty()) {
                byLabel.put(e.getKey(), new double[] {a[0] / a[3], a[1] / a[3], a[2] / a[3], a[3]});
            }
        }
        double[] all = sums.get("");
        return new Report(all[0] / all[3], all[1] / all[3], all[2] / all[3], data.heldOut().size(), windows.size(),
                (long) all[3], load, byLabel);
    }

    /**
     * Held-out documents cut into windows of at most {@code window} tokens ({@link ContextWindows});
     * single-token pieces, which predict nothing, dropped.
     */
    public static List<int[]> windows(TrainingData data, int window) {
        List<int[]> out = new ArrayList<>();
        for (TrainingData.HeldOut doc : data.heldOut()) {
            for (int[] piece : ContextWindows.cut(doc.ids(), window)) {
                if (piece.length >= 2) {
                    out.add(piece);
                }
            }
        }
        return out;
    }

    /** The label of each window of {@link #windows}, in the same order. */
    public static List<String> windowLabels(TrainingData data, int window) {
        List<String> out = new ArrayList<>();
        for (TrainingData.HeldOut doc : data.heldOut()) {
            for (int[] piece : ContextWindows.cut(doc.ids(), window)) {
                if (piece.length >= 2) {
                    out.add(doc.label());
                }
            }
        }
        return out;
    }

    /** Summed NLL of each window; when {@code slots} is not null, counts top-k slots per layer and expert. */
    static double[] windowNll(MoeTransformer model, List<int[]> windows, long[][] slots) {
        ForwardHooks hooks = slots == null ? ForwardHooks.NONE : new ForwardHooks() {
            @Override
            public boolean wants(String name) {
                return SparseMoe.topkFrom(0).test(name);
            }

            @Override
            public NDArray apply(HookSite site, NDArray tensor) {
                for (long e : tensor.toLongArray()) {                   // [N, k]
                    slots[site.layer()][(int) e]++;
                }
                return null;
            }
        };
        double[] sums = new double[windows.size()];
        int batch = 16;
        for (int i = 0; i < windows.size(); i += batch) {
            TokenBatch b = new TokenBatch(windows.subList(i, Math.min(windows.size(), i + batch)));
            ForwardResult r = model.forward(b, hooks, true);
            for (int d = 0; d < b.size(); d++) {
                sums[i + d] = r.nllSum()[d];
            }
        }
        return sums;
    }
}
