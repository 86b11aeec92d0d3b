package dev.routelens.cli;

import dev.routelens.study.OutputPaths;
import dev.routelens.study.Progress;
import dev.routelens.study.LoadedModel;
import dev.routelens.core.UserError;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.routelens.model.ForwardResult;
import dev.routelens.core.InputKind;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.StreamControl;
import dev.routelens.model.tokenizer.BosPolicy;
import dev.routelens.probe.ActivationCache;
import dev.routelens.probe.Hook;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import dev.routelens.routing.Ablation;
import dev.routelens.routing.AblationSet;
import dev.routelens.core.AtomicFiles;
import dev.routelens.core.OutputLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs one input through the model and writes its tokens, gate logits, top-k and NLL as JSON. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Capture one document's gate logits, top-k routing and NLL as JSON.")
public final class ProbeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--kind", defaultValue = "text", paramLabel = "text|smiles|protein", description = "Input kind (default: ${DEFAULT-VALUE}).")
    String kind;

    static final class Input {
        @Option(names = "--text", paramLabel = "STRING", description = "The input itself.")
        String text;

        @Option(names = "--input", paramLabel = "FILE", description = "A UTF-8 file holding the input.")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--ablate", paramLabel = "LAYER:EXPERT[:MODE]", description = "Knock out an expert at an MoE layer (modes: reroute, zero; LAYER:top-r masks each token's r best; LAYER:zero-shared or all:zero-shared zeroes Qwen2-MoE's shared expert); repeatable: knock-outs compose in any order.")
    List<String> ablations = new ArrayList<>();

    @Option(names = "--r", paramLabel = "R", description = "r for top-r ablations (default: 1).")
    Integer r;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the JSON. Its folder is held for the run: another run writing into it at the same time is refused.")
    Path out;

    @Override
    public Integer call() throws Exception {
        InputKind inputKind;
        try {
            inputKind = InputKind.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new UserError("--kind: " + e.getMessage());
        }
        OutputPaths.requireFile("--out", out);
        String text = input.text != null ? input.text : readInput(input.file);
        if (r != null && r < 1) {
            throw new UserError("--r must be >= 1 (experts masked per token), got " + r);
        }
        if (inputKind != InputKind.TEXT) { // the sample readers' checks: a SMILES CDK cannot read is refused there too
            String problem = new dev.routelens.samples.InputChecks().problem(inputKind,
                    dev.routelens.samples.InputChecks.normalize(inputKind, text));
            if (problem != null) {
                throw new UserError((input.text != null ? "--text" : "--input " + input.file) + ": " + problem);
            }
        }
        MoeConfig config = modelOptions.check(); // config.json and the tokenizer only: the input is checked before any weight loads
        AblationSet ablationSet = ablationSet(config);
        int[] ids;
        try {
            ids = modelOptions.tokenizer().encode(inputKind == InputKind.TEXT ? text : text.strip(), inputKind);
        } catch (IllegalArgumentException e) {
            throw new UserError((input.text != null ? "--text" : "--input " + input.file) + ": the tokenizer refuses it: "
                    + e.getMessage());
        }
        if (ids.length == 0) {
            throw new UserError("the input has no tokens (it is empty and the tokenizer adds no BOS)");
        }
        if (ids.length > config.maxPositions()) {
            throw new UserError("input has " + ids.length + " tokens, more than the model's context of "
                    + config.maxPositions() + "; shorten it (figure1 and stats chunk long documents)");
        }
        try (OutputLock lock = OutputPaths.holdFileFolder("--out", out); LoadedModel loaded = modelOptions.load()) {
            MoeConfig c = loaded.model().config();
            Map<String, Hook> hooks = ablationSet.hooks(c.topK());
            Probe probe = loaded.probe();
            ActivationCache cache;
            try (Progress bar = loaded.streaming() == null ? null
                    : new Progress("probe", StreamControl.tokenParts(c, ids.length))) {
                if (bar != null) {
                    loaded.streaming().attach(bar, true);
                }
                cache = probe.runWithCache(List.of(ids),
                        NameFilter.of(SparseMoe.GATE_EVERY_LAYER, SparseMoe.TOPK_EVERY_LAYER, SparseMoe.TOPK_WEIGHTS_EVERY_LAYER), hooks, true);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", loaded.description());
            json.put("kind", inputKind.id());
            json.put("ablations", ablationSet.labels());
            BosPolicy bos = loaded.tokenizer().bos();
            Map<String, Object> bosJson = new LinkedHashMap<>();
            bosJson.put("added", bos.added());
            bosJson.put("id", bos.added() ? bos.id() : null);
            bosJson.put("source", bos.source());
            json.put("bos", bosJson);
            json.put("token_ids", ids);
            List<String> tokens = new ArrayList<>();
            for (int id : ids) {
                tokens.add(loaded.tokenizer().token(id));
            }
            json.put("tokens", tokens);
            List<float[][]> gates = new ArrayList<>();
            List<int[][]> topk = new ArrayList<>();
            List<float[][]> weights = new ArrayList<>();
            for (int l = 0; l < c.numLayers(); l++) { // a dense layer has no router: null at its index
                if (!c.isMoeLayer(l)) {
                    gates.add(null);
                    topk.add(null);
                    weights.add(null);
                    continue;
                }
                gates.add(cache.get(0, SparseMoe.gate(l)).matrix());
                topk.add(cache.get(0, SparseMoe.topk(l)).intMatrix());
                weights.add(cache.get(0, SparseMoe.topkWeights(l)).matrix());
            }
            json.put("gate_logits", gates);
            json.put("topk_experts", topk);
            json.put("topk_weights", weights);
            double nll = nll(cache.result());
            json.put("nll", Double.isNaN(nll) ? null : nll);
            if (loaded.streaming() != null) {
                json.put("stream", loaded.streaming().record());
            }
            ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.write(out, w -> mapper.writeValue(w, json));
            System.out.printf("probe: %d tokens, %d layers, NLL %s -> %s%n", ids.length, c.numLayers(),
                    Double.isNaN(nll) ? "n/a" : String.format("%.4f", nll), out);
        }
        return 0;
    }

    /**
     * The mean next-token NLL; NaN only when no token has a successor (a one-token input), written as null.
     * Anything else that is not finite is a fault, never a silent null: the model refuses non-finite
     * log-probabilities itself, and this is the second line of that defence.
     */
    static double nll(ForwardResult result) {
        if (result.nllCount()[0] == 0) {
            return Double.NaN;
        }
        double nll = result.meanNll(0);
        if (!Double.isFinite(nll)) {
            throw new ArithmeticException("logits: the mean NLL over " + result.nllCount()[0] + " predicted tokens is "
                    + nll + "; nothing was written");
        }
        return nll;
    }

    /**
     * The --ablate knock-outs as one set, checked against config.json before any weight loads: a spec that
     * does not parse, a layer, expert or shared expert the model lacks, a combination whose result would
     * depend on its order, a reroute set that leaves fewer than k experts, and --r without a top-r.
     */
    private AblationSet ablationSet(MoeConfig config) {
        List<Ablation> parsed = new ArrayList<>();
        for (String spec : ablations) {
            Ablation a;
            try {
                a = Ablation.parse(spec, r == null ? 1 : r);
            } catch (IllegalArgumentException e) {
                throw new UserError("--ablate: " + e.getMessage());
            }
            try {
                a.check(config);
            } catch (IllegalArgumentException e) {
                throw new UserError("--ablate " + spec + ": " + e.getMessage());
            }
            parsed.add(a);
        }
        AblationSet set;
        try {
            set = new AblationSet(parsed);
            set.check(config);
        } catch (IllegalArgumentException e) {
            throw new UserError("--ablate: " + e.getMessage());
        }
        if (r != null && !set.hasTopR()) {
            throw new UserError("--r applies to top-r ablations only (--ablate LAYER:top-r)");
        }
        return set;
    }

    /** The most an --input file may hold: far beyond any model's context, short of filling the heap. */
    static final int MAX_INPUT_BYTES = 64 << 20;

    /**
     * The --input file as UTF-8. A pipe is read (so {@code --input <(cmd)} works); a folder, a missing file or
     * one larger than {@link #MAX_INPUT_BYTES} (a device such as /dev/zero never ends) is refused by name.
     */
    static String readInput(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserError("--input " + file + " is a folder, not a file");
        }
        if (!Files.exists(file)) {
            throw new UserError("--input " + file + ": no such file");
        }
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
        } catch (java.io.IOException e) {
            throw new UserError("--input " + file + ": cannot read (" + Main.oneLine(e) + ")");
        }
        if (bytes.length > MAX_INPUT_BYTES) {
            throw new UserError("--input " + file + ": more than " + (MAX_INPUT_BYTES >> 20)
                    + " MiB; probe takes one document");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserError("--input " + file + ": not valid UTF-8");
        }
    }
}
