package dev.routelens.study;

import dev.routelens.core.UserError;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.routing.LabeledTokens;
import dev.routelens.samples.SampleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What two models must share before their routing is compared token by token: the config's shape (layers, MoE
 * layers, experts, k, context, vocabulary, widths) and the token ids of every document. Refusals name the field
 * or the document.
 */
public final class SaturationChecks {
    private static final Pattern STEP = Pattern.compile("step-(\\d+)");

    /** One kept checkpoint of a training run: {@code step-NNNNN/} with its config.json. */
    public record StepCheckpoint(long step, Path dir) {
    }

    private SaturationChecks() {
    }

    /** Refuses configs of another shape, naming the first config field that differs. */
    public static void requireSameLayout(MoeConfig model, Path modelConfig, MoeConfig reference, Path referenceConfig) {
        List<String> differ = new ArrayList<>();
        same(differ, "model_type", model.family().displayName(), reference.family().displayName());
        same(differ, "vocab_size", model.vocabSize(), reference.vocabSize());
        same(differ, "hidden_size", model.hiddenSize(), reference.hiddenSize());
        same(differ, "num_hidden_layers", model.numLayers(), reference.numLayers());
        same(differ, "num_attention_heads", model.numHeads(), reference.numHeads());
        same(differ, "num_key_value_heads", model.numKvHeads(), reference.numKvHeads());
        same(differ, "intermediate_size", model.intermediateSize(), reference.intermediateSize());
        same(differ, "num_experts", model.numExperts(), reference.numExperts());
        same(differ, "num_experts_per_tok", model.topK(), reference.topK());
        same(differ, "max_position_embeddings", model.maxPositions(), reference.maxPositions());
        same(differ, "MoE layers", Arrays.toString(model.moeLayers()), Arrays.toString(reference.moeLayers()));
        if (!differ.isEmpty()) {
            throw new UserError("saturation compares models of one layout, but " + modelConfig + " and " + referenceConfig
                    + " differ in " + String.join("; ", differ));
        }
    }

    private static void same(List<String> differ, String field, Object a, Object b) {
        if (!a.equals(b)) {
            differ.add(field + " " + a + " vs " + b);
        }
    }

    /**
     * Refuses a reference tokenizer that encodes any document of {@code samples} to other ids than {@code tokens}
     * (the model's) hold, or refuses another record, naming the document.
     */
    public static void requireSameTokens(Tokenized tokens, SampleSet samples, Tokenizer reference, Path where) {
        List<LabeledTokens> ours = tokens.docs();
        List<LabeledTokens> theirs = Tokenized.of(samples, reference).docs();
        for (int d = 0; d < Math.max(ours.size(), theirs.size()); d++) {
            LabeledTokens a = d < ours.size() ? ours.get(d) : null;
            LabeledTokens b = d < theirs.size() ? theirs.get(d) : null;
            if (a == null || b == null || !a.id().equals(b.id()) || !Arrays.equals(a.ids(), b.ids())) {
                String id = a != null ? a.id() : b.id();
                throw new UserError("saturation needs the same token ids through both models, but the tokenizer in "
                        + where + " encodes document '" + id + "' differently");
            }
        }
    }

    /**
     * The kept checkpoints of a training run ({@code keep_checkpoints: true}), by step; the last is the reference.
     * Refused, naming the folder, when it holds fewer than one.
     */
    public static List<StepCheckpoint> steps(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            throw new UserError("--over " + runDir + ": no such folder");
        }
        List<StepCheckpoint> out = new ArrayList<>();
        try (var dirs = Files.list(runDir)) {
            for (Path p : dirs.toList()) {
                Matcher m = STEP.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p.resolve("config.json"))) {
                    out.add(new StepCheckpoint(Long.parseLong(m.group(1)), p));
                }
            }
        }
        out.sort((a, b) -> Long.compare(a.step(), b.step()));
        if (out.isEmpty()) {
            throw new UserError("--over " + runDir + ": no step-NNNNN/ checkpoint folders; train with"
                    + " \"keep_checkpoints\": true to keep one per checkpoint_every steps");
        }
        return out;
    }
}
