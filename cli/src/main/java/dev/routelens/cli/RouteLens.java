package dev.routelens.cli;

import dev.routelens.study.OutputPaths;
import dev.routelens.study.Tokenized;
import dev.routelens.study.LoadedModel;
import dev.routelens.study.Figure1Plots;
import dev.routelens.study.Json;
import dev.routelens.core.UserError;
import dev.routelens.core.AtomicFiles;
import dev.routelens.core.OutputLock;
import ai.djl.Device;
import dev.routelens.embed.Embedding;
import dev.routelens.embed.QualityReport;
import dev.routelens.embed.Tsne;
import dev.routelens.embed.TsneConfig;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.Precision;
import dev.routelens.model.nano.NanoModel;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.probe.Probe;
import dev.routelens.routing.Ablation;
import dev.routelens.routing.AblationMode;
import dev.routelens.routing.AblationResult;
import dev.routelens.routing.AblationStudy;
import dev.routelens.routing.ExpertChoiceTable;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.routing.RoutingPass;
import dev.routelens.samples.DefaultSamples;
import dev.routelens.samples.SampleReader;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSelection;
import dev.routelens.samples.SampleSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A small facade for JShell and scripts: Figure 1 in a few lines.
 * <pre>{@code
 * var model = RouteLens.load();                      // SciDFM-nano, or RouteLens.load("path/to/model")
 * var docs = RouteLens.tokenize(model, RouteLens.samples());
 * var choices = RouteLens.expertChoice(model, docs);  // E_T per document
 * var emb = RouteLens.tsne(choices, 42);
 * RouteLens.save(choices, emb, "out/jshell");         // CSVs, metrics.json, figure1.png/svg
 * }</pre>
 */
public final class RouteLens {
    private RouteLens() {
    }

    /** The embedded SciDFM-nano on the CPU. */
    public static LoadedModel load() throws IOException {
        return load(NanoModel.locate().orElseThrow(() -> new UserError("cannot find model/nano")).toString());
    }

    /** Any supported HF checkpoint directory (Mixtral/SciDFM, OLMoE, Qwen2-MoE, Qwen3-MoE), on the CPU in float32. */
    public static LoadedModel load(String dir) throws IOException {
        Path p = Path.of(dir);
        return new LoadedModel(ModelLoader.load(p, Device.cpu(), Precision.F32), Tokenizer.load(p), p.toString(),
                p.resolve("config.json"));
    }

    /** The default Figure 1 samples (600 documents in six classes). */
    public static SampleSet samples() {
        return DefaultSamples.read();
    }

    /** Samples from a file or directory (JSON Lines, CSV, <label>.txt, FASTA, .smi). */
    public static SampleSet samples(String source) {
        return SampleReader.read(Path.of(source));
    }

    /** N per class, seeded. */
    public static SampleSet perClass(SampleSet set, int n, long seed) {
        return SampleSelection.perClass(set, n, seed);
    }

    /**
     * Token ids per document; records the tokenizer refuses are left out (see {@link Tokenized#errors}). An empty
     * set, or one the tokenizer leaves empty, is refused here rather than after a routing pass over nothing.
     */
    public static List<LabeledTokens> tokenize(LoadedModel model, SampleSet samples) {
        Tokenized t = Tokenized.of(SampleRequirements.ANY.require(samples), model.tokenizer());
        t.require(SampleRequirements.ANY, Optional.empty());
        return t.docs();
    }

    /** Captures gate logits and returns their per-document sums [D][M][E] over the M MoE layers. */
    public static RoutingPass.Result capture(LoadedModel model, List<LabeledTokens> docs) throws IOException {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("capture: no documents to route");
        }
        return new RoutingPass(new Probe(model.model())).run(docs, null, null, n -> { });
    }

    /** E_T = concat over the MoE layers of softmax(sum of gate logits), one row per document. */
    public static ExpertChoiceTable expertChoice(LoadedModel model, List<LabeledTokens> docs) throws IOException {
        return expertChoice(model, docs, capture(model, docs));
    }

    /** E_T from an existing capture. */
    public static ExpertChoiceTable expertChoice(LoadedModel model, List<LabeledTokens> docs, RoutingPass.Result r) {
        ExpertChoiceTable.Builder b = ExpertChoiceTable.builder(r.layers(), model.model().config().numExperts());
        for (int d = 0; d < docs.size(); d++) {
            b.add(docs.get(d).id(), docs.get(d).label(), docs.get(d).kind(), r.expertChoice(d));
        }
        return b.build();
    }

    /**
     * 3-D t-SNE with the paper's settings (perplexity 30, 1000 iterations). A table short of what Figure 1
     * needs (4 documents, 2 classes, one with 2) is refused before the embedding, not after it.
     */
    public static Embedding tsne(ExpertChoiceTable choices, long seed) {
        requireFigure1(choices);
        TsneConfig d = TsneConfig.defaults();
        return Tsne.fit(choices.vectors(), new TsneConfig(d.dims(), d.perplexity(), d.iterations(), d.learningRate(),
                seed, d.method(), d.theta()));
    }

    /** Silhouette, kNN accuracy, trustworthiness and centroid distances. */
    public static QualityReport quality(ExpertChoiceTable choices, Embedding embedding) {
        requireFigure1(choices);
        return QualityReport.of(choices.vectors(), embedding.coords(), choices.labels().toArray(String[]::new));
    }

    /** Writes expert_choice.csv, metrics.json and the Figure 1 plots into {@code dir}. */
    /**
     * Writes expert_choice.csv, metrics.json and the Figure 1 plots into {@code dir}, holding the folder while
     * it writes: a CLI run (or another script) writing there at the same time makes this fail, naming its pid.
     */
    public static Path save(ExpertChoiceTable choices, Embedding embedding, String dir) throws IOException {
        Path out = Path.of(dir);
        QualityReport q = quality(choices, embedding);
        try (OutputLock lock = OutputPaths.holdFolder("save", out)) {
            choices.writeCsv(out.resolve("expert_choice.csv"));
            AtomicFiles.write(out.resolve("metrics.json"), w -> Json.MAPPER.writeValue(w, q));
            Figure1Plots.write(out, choices, embedding);
        }
        return out;
    }

    private static void requireFigure1(ExpertChoiceTable choices) {
        List<String> problems = SampleRequirements.FIGURE1.problems(choices.classCounts());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("expert-choice table: " + String.join("; ", problems));
        }
    }

    /**
     * Knocks out expert {@code expert} at MoE layer {@code layer} ("reroute", "zero", "top-r", or "zero-shared",
     * where the expert is ignored and a layer of {@link Ablation#ALL_LAYERS} zeroes the shared expert everywhere).
     */
    public static AblationResult ablate(LoadedModel model, List<LabeledTokens> docs, int layer, int expert, String mode) {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("ablate: no documents to run");
        }
        AblationMode m = AblationMode.parse(mode);
        Ablation a = new Ablation(layer, expert, m, m == AblationMode.TOP_R ? 1 : 0);
        a.check(model.model().config());
        return new AblationStudy(new Probe(model.model())).run(docs, a);
    }
}
