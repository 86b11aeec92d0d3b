package dev.routelens.study;

import dev.routelens.embed.Embedding;
import dev.routelens.embed.QualityReport;
import dev.routelens.embed.Tsne;
import dev.routelens.embed.TsneConfig;
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

/**
 * Where JShell sessions and scripts start: load a model, read samples, then work on the {@link HookedMoe}.
 * <pre>{@code
 * var m = RouteLens.load();                                   // SciDFM-nano; RouteLens.load("dir", "gpu", "f16")
 * var f1 = m.figure1(RouteLens.perClass(RouteLens.samples(), 20, 42));
 * f1.quality(); f1.save("out/f1");                           // the files ./routelens figure1 --out out/f1 writes
 * }</pre>
 * The step-by-step helpers below ({@link #capture}, {@link #expertChoice}, {@link #tsne}, {@link #save}) run
 * Figure 1 one stage at a time, for a script that wants to look between stages.
 */
public final class RouteLens {
    private RouteLens() {
    }

    /** The embedded SciDFM-nano, on the GPU when DJL sees one. */
    public static HookedMoe load() throws IOException {
        return load(ModelSpec.nano());
    }

    /** A checkpoint folder (Mixtral/SciDFM, OLMoE, Qwen2-MoE, Qwen3-MoE), on the GPU when DJL sees one. */
    public static HookedMoe load(String dir) throws IOException {
        return load(ModelSpec.of(Path.of(dir)));
    }

    /**
     * A checkpoint folder on {@code device} (cpu, gpu or auto) in {@code dtype} (f32, f16, or null for the
     * device's default). Weights that do not fit stream layer by layer, as in the CLI.
     */
    public static HookedMoe load(String dir, String device, String dtype) throws IOException {
        return load(ModelSpec.of(Path.of(dir)).on(device, dtype));
    }

    /** A model of {@code config} with seeded random weights and model/nano's tokenizer. */
    public static HookedMoe randomInit(String config, long seed) throws IOException {
        return load(ModelSpec.randomInit(Path.of(config), seed));
    }

    public static HookedMoe randomInit(String config, long seed, String device, String dtype) throws IOException {
        return load(ModelSpec.randomInit(Path.of(config), seed).on(device, dtype));
    }

    /** Any model spec: everything the CLI's model options say (streaming, memory budget, threads). */
    public static HookedMoe load(ModelSpec spec) throws IOException {
        ModelSpec.Checked checked = spec.check();
        return new HookedMoe(checked.load(checked.tokenizer()));
    }

    /**
     * Router saturation of every kept checkpoint ({@code step-NNNNN/}, from {@code keep_checkpoints: true}) of the
     * training run in {@code runDir} against its last, loading one checkpoint at a time on the CPU.
     */
    public static SaturationCurve saturationOver(String runDir, SampleSet samples) throws IOException {
        var steps = SaturationChecks.steps(Path.of(runDir));
        ModelSpec template = ModelSpec.of(steps.get(steps.size() - 1).dir()).on("cpu", null);
        SampleRequirements.ANY.require(samples);
        try (var tok = template.check().tokenizer()) {
            Tokenized tokens = Tokenized.of(samples, tok);
            tokens.require(SampleRequirements.ANY, java.util.Optional.empty());
            return SaturationStudy.over(steps, template, samples, tokens, null);
        }
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
     * Token ids per document; records the tokenizer refuses are left out (said on stderr). An empty set, or one
     * the tokenizer leaves empty, is refused here rather than after a routing pass over nothing.
     */
    public static List<LabeledTokens> tokenize(HookedMoe model, SampleSet samples) {
        SampleRequirements.ANY.require(samples);
        return model.tokenize(samples).docs();
    }

    /** Captures gate logits and returns their per-document sums [D][M][E] over the M MoE layers. */
    public static RoutingPass.Result capture(HookedMoe model, List<LabeledTokens> docs) throws IOException {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("capture: no documents to route");
        }
        return new RoutingPass(model.probe()).run(docs, null, null, n -> { });
    }

    /** E_T = concat over the MoE layers of softmax(sum of gate logits), one row per document. */
    public static ExpertChoiceTable expertChoice(HookedMoe model, List<LabeledTokens> docs) throws IOException {
        return expertChoice(model, docs, capture(model, docs));
    }

    /** E_T from an existing capture. */
    public static ExpertChoiceTable expertChoice(HookedMoe model, List<LabeledTokens> docs, RoutingPass.Result r) {
        ExpertChoiceTable.Builder b = ExpertChoiceTable.builder(model.config());
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

    /**
     * Writes expert_choice.csv, metrics.json and the Figure 1 plots into {@code dir}, holding the folder while
     * it writes: a CLI run (or another script) writing there at the same time makes this fail, naming its pid.
     * {@link Figure1Result#save} writes the CLI's whole folder.
     */
    public static Path save(ExpertChoiceTable choices, Embedding embedding, String dir) throws IOException {
        Path out = Path.of(dir);
        QualityReport q = quality(choices, embedding);
        try (var lock = OutputPaths.holdFolder("save", out)) {
            choices.writeCsv(out.resolve("expert_choice.csv"));
            dev.routelens.core.AtomicFiles.write(out.resolve("metrics.json"), w -> Json.MAPPER.writeValue(w, q));
            Figure1Plots.write(out, choices, embedding, new SavedFiles(out));
        }
        return out;
    }

    private static void requireFigure1(ExpertChoiceTable choices) {
        List<String> problems = SampleRequirements.FIGURE1.problems(choices.classCounts());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("expert-choice table: " + String.join("; ", problems));
        }
    }
}
