package dev.routelens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.routelens.model.InputKind;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.StreamControl;
import dev.routelens.model.tokenizer.BosPolicy;
import dev.routelens.probe.ActivationCache;
import dev.routelens.probe.Hook;
import dev.routelens.probe.HookPoints;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import dev.routelens.routing.Ablation;
import dev.routelens.model.io.AtomicFiles;
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

    @Option(names = "--ablate", paramLabel = "LAYER:EXPERT[:MODE]", description = "Knock out an expert at an MoE layer (modes: reroute, zero, top-r; LAYER:zero-shared or all:zero-shared zeroes Qwen2-MoE's shared expert); repeatable.")
    List<String> ablations = new ArrayList<>();

    @Option(names = "--r", defaultValue = "1", description = "r for top-r ablations (default: ${DEFAULT-VALUE}).")
    int r;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the JSON.")
    Path out;

    @Override
    public Integer call() throws Exception {
        String text = input.text != null ? input.text : readInput(input.file);
        InputKind inputKind = InputKind.parse(kind);
        try (LoadedModel loaded = modelOptions.load()) {
            MoeConfig c = loaded.model().config();
            int[] ids = loaded.tokenizer().encode(inputKind == InputKind.TEXT ? text : text.strip(), inputKind);
            if (ids.length == 0) {
                throw new UserError("the input has no tokens (it is empty and the tokenizer adds no BOS)");
            }
            if (ids.length > c.maxPositions()) {
                throw new UserError("input has " + ids.length + " tokens, more than the model's context of "
                        + c.maxPositions() + "; shorten it (figure1 and stats chunk long documents)");
            }
            Map<String, Hook> hooks = new LinkedHashMap<>();
            List<String> applied = new ArrayList<>();
            for (String spec : ablations) {
                Ablation a = Ablation.parse(spec, r);
                a.check(c);
                for (Map.Entry<String, Hook> h : a.hooks(c.topK()).entrySet()) {
                    Hook previous = hooks.get(h.getKey());
                    hooks.put(h.getKey(), previous == null ? h.getValue() : chain(previous, h.getValue()));
                }
                applied.add(a.label());
            }
            Probe probe = loaded.probe();
            ActivationCache cache;
            try (Progress bar = loaded.streaming() == null ? null
                    : new Progress("probe", StreamControl.tokenParts(c, ids.length))) {
                if (bar != null) {
                    loaded.streaming().attach(bar, true);
                }
                cache = probe.runWithCache(List.of(ids),
                        NameFilter.of("layers.*.moe.gate", "layers.*.moe.topk", "layers.*.moe.topk_weights"), hooks, true);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", loaded.description());
            json.put("kind", inputKind.id());
            json.put("ablations", applied);
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
                gates.add(cache.get(0, HookPoints.gate(l)).matrix());
                topk.add(cache.get(0, HookPoints.topk(l)).intMatrix());
                weights.add(cache.get(0, HookPoints.topkWeights(l)).matrix());
            }
            json.put("gate_logits", gates);
            json.put("topk_experts", topk);
            json.put("topk_weights", weights);
            double nll = cache.result().meanNll(0);
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

    private static Hook chain(Hook first, Hook second) {
        return (t, site) -> {
            var a = first.apply(t, site);
            var b = second.apply(a == null ? t : a, site);
            return b == null ? a : b;
        };
    }

    static String readInput(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError(file + ": not valid UTF-8");
        } catch (java.io.IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
