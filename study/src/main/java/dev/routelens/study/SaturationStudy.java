package dev.routelens.study;

import dev.routelens.model.TorchThreads;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.routing.SaturationPass;
import dev.routelens.routing.SaturationTable;
import dev.routelens.routing.TopKCapture;
import dev.routelens.samples.SampleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Router saturation as a library call (OLMoE, arXiv 2409.02060): per MoE layer, how far a model's top-1 and top-k
 * choices agree with a reference's on the same token ids. The CLI's {@code saturation} and the facade's
 * {@code saturation(...)} run it and save its {@link SaturationResult}; {@link #over} runs every kept checkpoint of
 * a training run against its last ({@link SaturationCurve}).
 *
 * <p>Memory: the reference routes every document first and only its top-k ids are kept (int ids [T, k] per MoE
 * layer, {@link TopKCapture}); the model then routes the same ids and each document is compared as its batch
 * finishes. The {@link ModelSpec.Checked} forms load one model at a time (a big model and its reference never
 * share memory); the {@link LoadedModel} form takes two loaded models, which is fine at SciDFM-nano's size.
 */
public final class SaturationStudy {
    /** The reference's top-k ids in a run's checkpoint folder: a resumed run does not route the reference again. */
    static final String REFERENCE_FILE = "reference.topk";

    private SaturationStudy() {
    }

    /** Both models already loaded. */
    public static SaturationResult run(LoadedModel model, LoadedModel reference, SampleSet samples, Tokenized tokens) {
        SaturationChecks.requireSameLayout(model.model().config(), model.configFile(), reference.model().config(),
                reference.configFile());
        SaturationChecks.requireSameTokens(tokens, samples, reference.tokenizer(), reference.configFile().getParent());
        List<int[]> ids = ids(tokens);
        TopKCapture ref = capture(reference, ids);
        SaturationTable table = compare(model, ids, ref, "saturation");
        return result(table, model.description(), model.configDigest(), reference.description(),
                reference.configDigest(), "both at once", samples, tokens);
    }

    /**
     * One model at a time: the reference is loaded, routes every document and is closed before the model loads.
     *
     * @param checkpoint the run's checkpoint folder (the reference's top-k is kept there), or null
     */
    public static SaturationResult run(ModelSpec.Checked model, ModelSpec.Checked reference, SampleSet samples,
                                       Tokenized tokens, Path checkpoint) throws IOException {
        SaturationChecks.requireSameLayout(model.config(), model.configFile(), reference.config(), reference.configFile());
        List<int[]> ids = ids(tokens);
        String[] refWhat = new String[2];
        TopKCapture ref = reference(reference, samples, tokens, checkpoint, refWhat);
        try (Tokenizer tok = model.tokenizer(); LoadedModel m = model.load(tok)) {
            SaturationTable table = compare(m, ids, ref, "saturation");
            return result(table, m.description(), m.configDigest(), refWhat[0], refWhat[1], "one at a time", samples,
                    tokens);
        }
    }

    /**
     * Every kept checkpoint of a training run against its last, one model at a time; each finished step is kept
     * in {@code checkpoint} (nullable) and skipped by a resumed run.
     *
     * @param steps the run's checkpoints by step ({@link SaturationChecks#steps}); the last is the reference
     * @param template device, dtype, streaming and threads for every checkpoint
     */
    public static SaturationCurve over(List<SaturationChecks.StepCheckpoint> steps, ModelSpec template,
                                       SampleSet samples, Tokenized tokens, Path checkpoint) throws IOException {
        List<ModelSpec.Checked> checked = new ArrayList<>();
        for (SaturationChecks.StepCheckpoint s : steps) {
            checked.add(at(template, s.dir()).check());
        }
        ModelSpec.Checked last = checked.get(checked.size() - 1);
        for (ModelSpec.Checked c : checked) {
            SaturationChecks.requireSameLayout(c.config(), c.configFile(), last.config(), last.configFile());
        }
        List<int[]> ids = ids(tokens);
        String[] refWhat = new String[2];
        TopKCapture ref = reference(last, samples, tokens, checkpoint, refWhat);
        List<SaturationTable> tables = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            long step = steps.get(i).step();
            Path kept = checkpoint == null ? null : checkpoint.resolve(String.format("step-%05d.json", step));
            if (kept != null && Files.isRegularFile(kept)) {
                tables.add(SaturationTable.fromJson(Json.MAPPER.readTree(kept.toFile())));
                continue;
            }
            try (Tokenizer tok = checked.get(i).tokenizer()) {
                SaturationChecks.requireSameTokens(tokens, samples, tok, steps.get(i).dir());
                try (LoadedModel m = checked.get(i).load(tok)) {
                    SaturationTable t = compare(m, ids, ref, "saturation step " + step);
                    if (kept != null) {
                        dev.routelens.core.AtomicFiles.write(kept, w -> Json.MAPPER.writeValue(w, t.toJson()));
                    }
                    tables.add(t);
                }
            }
        }
        long[] stepNumbers = steps.stream().mapToLong(SaturationChecks.StepCheckpoint::step).toArray(); // [S]
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("reference", refWhat[0]);
        summary.put("reference_config_sha256", refWhat[1]);
        summary.put("checkpoints", steps.stream().map(s -> s.dir().toString()).toList());
        summary.put("steps", stepNumbers);
        summary.put("models_loaded", "one at a time");
        common(summary, samples, tokens, tables.get(tables.size() - 1));
        summary.put("mean_top1_by_step", tables.stream().mapToDouble(SaturationTable::meanTop1).toArray());
        summary.put("mean_top_k_by_step", tables.stream().mapToDouble(SaturationTable::meanTopK).toArray());
        return new SaturationCurve(stepNumbers, List.copyOf(tables), summary, tokens.errors(), tokens.docs().size(),
                List.of("HookedMoe.saturation"), null);
    }

    /** The spec of another checkpoint folder with {@code template}'s device, dtype, streaming and threads. */
    static ModelSpec at(ModelSpec template, Path dir) {
        return new ModelSpec(dir, null, null, null, template.device(), template.dtype(), template.stream(),
                template.memoryBudget(), template.loadAhead(), template.threads());
    }

    /** The reference's top-k: read back from the checkpoint folder, or routed now (and kept there). */
    private static TopKCapture reference(ModelSpec.Checked reference, SampleSet samples, Tokenized tokens,
                                         Path checkpoint, String[] what) throws IOException {
        Path file = checkpoint == null ? null : checkpoint.resolve(REFERENCE_FILE);
        what[0] = reference.spec().randomInit() != null ? "random-init " + reference.configFile()
                : reference.spec().modelDir().toString();
        what[1] = dev.routelens.core.Digests.sha256Hex(Files.readAllBytes(reference.configFile()));
        try (Tokenizer tok = reference.tokenizer()) {
            SaturationChecks.requireSameTokens(tokens, samples, tok, reference.configFile().getParent());
            if (file != null && Files.isRegularFile(file)) { // a resumed run: routed before
                return TopKCapture.read(file, reference.config().moeLayers(), reference.config().topK(),
                        tokens.docs().size());
            }
            try (LoadedModel r = reference.load(tok)) {
                what[0] = r.description();
                TopKCapture ref = capture(r, ids(tokens));
                if (file != null) {
                    ref.write(file);
                }
                return ref;
            }
        }
    }

    private static TopKCapture capture(LoadedModel reference, List<int[]> ids) {
        try (Progress bar = new Progress("saturation: reference", ids.size())) {
            return SaturationPass.capture(reference.probe(), ids, bar);
        }
    }

    private static SaturationTable compare(LoadedModel model, List<int[]> ids, TopKCapture ref, String task) {
        try (Progress bar = new Progress(task, ids.size())) {
            return SaturationPass.compare(model.probe(), ids, ref, bar);
        }
    }

    private static List<int[]> ids(Tokenized tokens) {
        if (tokens.docs().isEmpty()) {
            throw new IllegalArgumentException("saturation: no documents to route");
        }
        return tokens.docs().stream().map(LabeledTokens::ids).toList();
    }

    private static SaturationResult result(SaturationTable table, String model, String modelDigest, String reference,
                                           String referenceDigest, String loaded, SampleSet samples, Tokenized tokens) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", model);
        summary.put("model_config_sha256", modelDigest);
        summary.put("reference", reference);
        summary.put("reference_config_sha256", referenceDigest);
        summary.put("models_loaded", loaded);
        common(summary, samples, tokens, table);
        summary.put("mean_top1", table.meanTop1());
        summary.put("mean_top_k", table.meanTopK());
        return new SaturationResult(table, summary, tokens.errors(), tokens.docs().size(),
                List.of("HookedMoe.saturation"), null);
    }

    private static void common(Map<String, Object> summary, SampleSet samples, Tokenized tokens, SaturationTable t) {
        summary.put("samples", samples.source());
        summary.put("torch_threads", TorchThreads.current());
        summary.put("documents", tokens.docs().size());
        summary.put("rejected", tokens.errors().size());
        summary.put("tokens", t.tokens());
        summary.put("k", t.k());
        summary.put("experts", t.experts());
        summary.put("chance_top1", t.chanceTop1());
        summary.put("chance_top_k", t.chanceTopK());
        summary.put("definition", "OLMoE (arXiv 2409.02060) router saturation: top1 = fraction of tokens whose first"
                + " choice matches the reference's; top_k = mean |TopK_A ∩ TopK_B| / k; chance 1/E and k/E");
    }
}
