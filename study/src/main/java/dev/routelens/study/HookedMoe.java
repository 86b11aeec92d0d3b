package dev.routelens.study;

import dev.routelens.core.InputKind;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.probe.ActivationCache;
import dev.routelens.probe.CapturedTensor;
import dev.routelens.probe.Hook;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import dev.routelens.routing.Ablation;
import dev.routelens.routing.AblationMode;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One loaded MoE model for JShell, scripts and Java code, in TransformerLens's words: {@link #hookNames},
 * {@link #runWithCache}, {@link #runWithHooks}, {@link #toStrTokens}, and the studies as calls
 * ({@link #figure1}, {@link #stats}, {@link #ablate}, {@link #saturation}) whose results save the folders the CLI
 * writes.
 * <pre>{@code
 * var m = RouteLens.load();
 * var cache = m.runWithCache("The proton is a baryon.", "layers.*.moe.gate");
 * float[][] g = cache.get("layers.5.moe.gate").matrix();          // [tokens][experts]
 * var f1 = m.figure1(RouteLens.perClass(RouteLens.samples(), 20, 42));
 * f1.save("out/f1");
 * }</pre>
 * Documents may be of any length: longer ones run in context-sized pieces, as in the CLI. Calls over many
 * documents show progress on stderr. Failures are exceptions with a one-line message, never a sentinel value.
 */
public final class HookedMoe implements AutoCloseable {
    private final LoadedModel loaded;
    private final Probe probe;

    public HookedMoe(LoadedModel loaded) {
        this.loaded = loaded;
        this.probe = loaded.probe();
    }

    /** The network. */
    public MoeTransformer model() {
        return loaded.model();
    }

    public MoeConfig config() {
        return loaded.model().config();
    }

    public Tokenizer tokenizer() {
        return loaded.tokenizer();
    }

    /** The probe every verb runs on: its scoped hooks ({@code probe().hooks(...)}) apply to every verb. */
    public Probe probe() {
        return probe;
    }

    /** The model with its tokenizer and provenance. */
    public LoadedModel loaded() {
        return loaded;
    }

    /** Every hook point, in forward order, derived from the model's structure. */
    public List<String> hookNames() {
        return loaded.model().hookNames();
    }

    /** The ids the model reads for {@code text} (prose; BOS first when the tokenizer adds one). */
    public int[] toTokens(String text) {
        return loaded.tokenizer().encode(text, InputKind.TEXT);
    }

    /** Each token of {@code text} as its vocabulary piece, in the order the model reads them. */
    public List<String> toStrTokens(String text) {
        return Arrays.stream(toTokens(text)).mapToObj(loaded.tokenizer()::token).toList();
    }

    /** Captures the hook points matching {@code names} (names or globs) for one text; {@code cache.get(name)}. */
    public ActivationCache runWithCache(String text, String... names) {
        return runWithCache(List.of(text), names);
    }

    /** Captures for several texts; {@code cache.get(doc, name)}. */
    public ActivationCache runWithCache(List<String> texts, String... names) {
        return capture(ids(texts), filter(names));
    }

    /** Captures for every document of a sample set (molecules and proteins encoded as such). */
    public ActivationCache runWithCache(SampleSet samples, String... names) {
        return capture(ids(tokenize(samples).docs()), filter(names));
    }

    /** Runs one text with {@code hooks} (name or glob -> hook), which may replace tensors; {@code r.nll()}. */
    public NllResult runWithHooks(String text, Map<String, Hook> hooks) {
        return runWithHooks(List.of(text), hooks);
    }

    public NllResult runWithHooks(List<String> texts, Map<String, Hook> hooks) {
        return new NllResult(run(ids(texts), name -> false, hooks).result());
    }

    public NllResult runWithHooks(SampleSet samples, Map<String, Hook> hooks) {
        return new NllResult(run(ids(tokenize(samples).docs()), name -> false, hooks).result());
    }

    /** Figure 1 with the paper's settings. */
    public Figure1Result figure1(SampleSet samples) throws Exception {
        return figure1(samples, Figure1Settings.defaults());
    }

    public Figure1Result figure1(SampleSet samples, Figure1Settings settings) throws Exception {
        return Figure1Study.run(loaded, samples, tokenize(samples, SampleRequirements.FIGURE1), settings, null,
                new StageTimer());
    }

    /** Routing metrics per MoE layer and class, plotted at the last MoE layer. */
    public StatsResult stats(SampleSet samples) throws Exception {
        return stats(samples, null);
    }

    /** Routing metrics, plotted at MoE layer {@code layer} (null: the last). */
    public StatsResult stats(SampleSet samples, Integer layer) throws Exception {
        return stats(samples, layer, StatsSettings.defaults());
    }

    /**
     * Routing metrics plotted at MoE layer {@code layer} (null: the last), with {@code settings}: the minimum token
     * count, and an {@code ablate --sweep} folder to check saliency against ({@code StatsSettings.defaults()
     * .againstSweep(Path.of("sweep-out"))}).
     */
    public StatsResult stats(SampleSet samples, Integer layer, StatsSettings settings) throws Exception {
        int chart = StatsStudy.chartLayer(config(), layer);
        return StatsStudy.run(loaded, samples, tokenize(samples), chart, settings, null, new StageTimer());
    }

    /**
     * Router saturation of this model against {@code reference} (same layout and tokenizer) on the same token ids:
     * per MoE layer, top-1 and top-k agreement (OLMoE), beside chance 1/E and k/E. Both models stay loaded.
     */
    public SaturationResult saturation(HookedMoe reference, SampleSet samples) {
        return SaturationStudy.run(loaded, reference.loaded(), samples, tokenize(samples));
    }

    /** Knocks out {@code expert} at MoE layer {@code layer} in {@code mode} (reroute or zero). */
    public AblationOutcome ablate(SampleSet samples, int layer, int expert, String mode) {
        AblationMode m = AblationMode.parse(mode);
        return AblationRun.each(loaded, samples, tokenize(samples),
                List.of(new Ablation(layer, expert, m, m == AblationMode.TOP_R ? 1 : 0)), new StageTimer());
    }

    /**
     * Each ablation on its own, written {@code LAYER:EXPERT[:MODE]} or {@code LAYER:MODE} as the CLI's
     * {@code --ablate} takes them ({@code "3:5"}, {@code "3:5:zero"}, {@code "3:top-r"}, {@code "all:zero-shared"}).
     */
    public AblationOutcome ablate(SampleSet samples, String... specs) {
        List<Ablation> ablations = new ArrayList<>();
        for (String s : specs) {
            ablations.add(Ablation.parse(s, 1));
        }
        return AblationRun.each(loaded, samples, tokenize(samples), ablations, new StageTimer());
    }

    /** Every (MoE layer, expert) in {@code mode} (every MoE layer once for top-r and zero-shared). */
    public AblationOutcome sweep(SampleSet samples, String mode) throws java.io.IOException {
        AblationMode m = AblationMode.parse(mode);
        return AblationRun.sweep(loaded, samples, tokenize(samples), m, m == AblationMode.TOP_R ? 1 : 0, true, null,
                new StageTimer());
    }

    /** The sample set's documents as tokens; refusals are reported on stderr, an empty result is refused. */
    public Tokenized tokenize(SampleSet samples) {
        return tokenize(samples, SampleRequirements.ANY);
    }

    private Tokenized tokenize(SampleSet samples, SampleRequirements needs) {
        Tokenized t = Tokenized.of(needs.require(samples), loaded.tokenizer());
        if (!t.errors().isEmpty()) {
            System.err.printf("routelens: %d record(s) left out, first: %s:%d %s%n", t.errors().size(),
                    t.errors().get(0).file(), t.errors().get(0).line(), t.errors().get(0).reason());
        }
        t.require(needs, java.util.Optional.empty());
        return t;
    }

    private List<int[]> ids(List<?> docs) {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("no documents to run");
        }
        List<int[]> ids = new ArrayList<>(docs.size());
        for (Object d : docs) {
            ids.add(d instanceof LabeledTokens t ? t.ids() : toTokens((String) d));
        }
        return ids;
    }

    /** A filter of names and globs; one that matches no hook point of this model is refused, naming it. */
    private Predicate<String> filter(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("name the hook points to capture, e.g. \"layers.*.moe.gate\" (hookNames() lists them)");
        }
        List<String> all = hookNames();
        for (String n : names) {
            if (all.stream().noneMatch(NameFilter.of(n))) {
                throw new IllegalArgumentException("no hook point of this " + config().modelType() + " model matches '" + n
                        + "' (hookNames() lists them)");
            }
        }
        return NameFilter.of(names);
    }

    private ActivationCache capture(List<int[]> ids, Predicate<String> filter) {
        return run(ids, filter, Map.of());
    }

    /** Runs every document, with a progress bar on stderr when there are many. */
    private ActivationCache run(List<int[]> ids, Predicate<String> filter, Map<String, Hook> hooks) {
        List<Map<String, CapturedTensor>> perDoc = new ArrayList<>(java.util.Collections.nCopies(ids.size(), null));
        double[] sums = new double[ids.size()];
        int[] counts = new int[ids.size()];
        try (Progress bar = ids.size() > 8 ? new Progress("run", ids.size()) : null) {
            int[] done = {0};
            probe.forEachDocument(ids, filter, hooks, true, (doc, captured, nllSum, nllCount) -> {
                perDoc.set(doc, captured);
                sums[doc] = nllSum;
                counts[doc] = nllCount;
                if (bar != null) {
                    bar.accept(++done[0]);
                }
            });
        }
        return new ActivationCache(perDoc, new ForwardResult(sums, counts));
    }

    @Override
    public String toString() {
        return "HookedMoe[" + loaded.description() + ": " + loaded.model() + "]";
    }

    @Override
    public void close() {
        loaded.close();
    }
}
