package dev.routelens.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.ResumePoint;
import dev.routelens.probe.Hook;
import dev.routelens.model.SparseMoe;
import java.util.Map;

/**
 * One expert knock-out at one MoE layer (or, for {@link AblationMode#ZERO_SHARED}, at every MoE layer at
 * once), expressed as probe hooks.
 *
 * @param layer real decoder layer l of an MoE layer, or {@link #ALL_LAYERS} for zero-shared at every one
 * @param expert expert e (ignored by {@link AblationMode#TOP_R} and {@link AblationMode#ZERO_SHARED})
 * @param mode how the expert is removed
 * @param r experts masked per token in {@link AblationMode#TOP_R}
 */
public record Ablation(int layer, int expert, AblationMode mode, int r) {
    /** What a masked gate logit becomes: finite, so captures stay JSON-safe, and never chosen. */
    public static final float MASKED_LOGIT = -Float.MAX_VALUE;
    /** The layer of a zero-shared ablation that acts at every MoE layer at once. */
    public static final int ALL_LAYERS = -1;

    public Ablation {
        if (mode == null) {
            throw new IllegalArgumentException("ablation needs a mode");
        }
        if (layer == ALL_LAYERS && mode != AblationMode.ZERO_SHARED) {
            throw new IllegalArgumentException("only zero-shared ablations act at every layer at once; " + mode.id()
                    + " needs one layer (or a sweep)");
        }
        if ((layer < 0 && layer != ALL_LAYERS) || expert < 0 || r < 0) {
            throw new IllegalArgumentException("ablation layer, expert and r must be non-negative");
        }
        if (mode == AblationMode.TOP_R && r < 1) {
            throw new IllegalArgumentException("top-r ablation needs r >= 1");
        }
    }

    /** Zeroes the shared expert's contribution at {@code layer}, or at every MoE layer for {@link #ALL_LAYERS}. */
    public static Ablation zeroShared(int layer) {
        return new Ablation(layer, 0, AblationMode.ZERO_SHARED, 0);
    }

    /** Whether this acts at every MoE layer at once. */
    public boolean allLayers() {
        return layer == ALL_LAYERS;
    }

    /**
     * Parses {@code LAYER:EXPERT[:MODE]}, e.g. {@code 3:5} or {@code 3:5:zero}, or {@code LAYER:MODE} for the
     * modes without an expert ({@code 3:top-r}, {@code 3:zero-shared}); LAYER is {@code all} for zero-shared at
     * every MoE layer. Top-r uses {@code r}, which must be at least 1; an expert given to top-r or zero-shared
     * is refused rather than ignored.
     */
    public static Ablation parse(String spec, int r) {
        String[] parts = spec.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("ablation '" + spec + "' must be LAYER:EXPERT[:MODE] or LAYER:MODE");
        }
        try {
            boolean noExpert = parts.length == 2 && !parts[1].strip().matches("\\d+");
            AblationMode mode = parts.length == 3 ? AblationMode.parse(parts[2].strip())
                    : noExpert ? AblationMode.parse(parts[1].strip()) : AblationMode.REROUTE;
            if (noExpert && mode.needsExpert()) {
                throw new IllegalArgumentException("ablation '" + spec + "': " + mode.id() + " needs an expert, as LAYER:EXPERT:"
                        + mode.id());
            }
            if (!noExpert && !mode.needsExpert()) {
                throw new IllegalArgumentException("ablation '" + spec + "': " + mode.id() + " takes no expert; write "
                        + parts[0].strip() + ":" + mode.id());
            }
            if (mode == AblationMode.TOP_R && r < 1) {
                throw new IllegalArgumentException("ablation '" + spec + "': top-r needs r >= 1, got " + r);
            }
            int layer = parts[0].strip().equalsIgnoreCase("all") ? ALL_LAYERS : Integer.parseInt(parts[0].strip());
            int expert = noExpert ? 0 : Integer.parseInt(parts[1].strip());
            return new Ablation(layer, expert, mode, mode == AblationMode.TOP_R ? r : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ablation '" + spec + "': layer and expert must be integers");
        }
    }

    /**
     * Refuses, by name, what the model does not have: a layer past its last, a dense layer (no router or
     * experts; the message lists the MoE layers), an expert index past E, a shared expert in a family without
     * one, or a top-r that leaves fewer than k experts.
     */
    public void check(MoeConfig c) {
        if (!allLayers()) {
            if (layer >= c.numLayers()) {
                throw new IllegalArgumentException("ablation layer " + layer + " but the model has " + c.numLayers() + " layers");
            }
            if (!c.isMoeLayer(layer)) {
                throw new IllegalArgumentException("ablation layer " + layer + " is a dense layer of this " + c.modelType()
                        + " model (no router, no experts); its MoE layers are " + MoeLayers.list(c.moeLayers()));
            }
        }
        if (mode == AblationMode.ZERO_SHARED && c.arch().sharedExpertSize() == 0) {
            throw new IllegalArgumentException("zero-shared ablation: this " + c.modelType()
                    + " model has no shared expert (only Qwen2-MoE's shared_expert_intermediate_size gives one)");
        }
        if (mode.needsExpert() && expert >= c.numExperts()) {
            throw new IllegalArgumentException("ablation expert " + expert + " but the model has " + c.numExperts() + " experts");
        }
        if (mode == AblationMode.TOP_R && r >= c.numExperts() - c.topK() + 1) {
            throw new IllegalArgumentException("top-r ablation with r=" + r + " leaves fewer than k="
                    + c.topK() + " of " + c.numExperts() + " experts");
        }
    }

    /** The first real layer this ablation acts on: its layer, or the first MoE layer of {@code c} for all layers. */
    public int firstLayer(MoeConfig c) {
        return allLayers() ? c.moeLayers()[0] : layer;
    }

    /**
     * The latest point a cached residual may be resumed from: every mode's hooks act inside layer l's
     * MoE (gate logits, expert or shared-expert outputs), so layer l's attention output is the baseline's.
     * An ablation at every layer resumes nowhere later than the first layer's input.
     */
    public ResumePoint resumePoint() {
        return allLayers() ? ResumePoint.residPre(0) : ResumePoint.residMid(layer);
    }

    /** The hooks that apply this ablation; top-k is the model's k. */
    public Map<String, Hook> hooks(int topK) {
        return switch (mode) {
            case ZERO -> Map.of(SparseMoe.expertOut(layer, expert), (t, site) -> t.zerosLike());
            case REROUTE -> Map.of(SparseMoe.gate(layer), (t, site) -> reroute(t, topK));
            case TOP_R -> Map.of(SparseMoe.gate(layer), (t, site) -> maskTopR(t));
            case ZERO_SHARED -> Map.of(allLayers() ? SparseMoe.SHARED_EVERY_LAYER : SparseMoe.shared(layer),
                    (t, site) -> t.zerosLike());
        };
    }

    /** logits [N, E] -> logits with expert e masked in the rows whose top-k contains e. */
    private NDArray reroute(NDArray logits, int topK) {
        NDList top = logits.topK(topK, -1, true, true);
        NDArray kth = top.get(0).get(new NDIndex(":, " + (topK - 1) + ":" + topK)); // [N, 1]
        NDArray column = logits.get(new NDIndex(":, " + expert + ":" + (expert + 1))); // [N, 1]
        NDArray chosen = column.gte(kth);                                               // [N, 1] bool
        long experts = logits.getShape().get(1);
        boolean[] isExpert = new boolean[(int) experts];
        isExpert[expert] = true;
        NDArray expertMask = logits.getManager().create(isExpert, new Shape(1, experts)); // [1, E] bool
        NDArray condition = chosen.logicalAnd(expertMask);                               // [N, E]
        NDArray masked = logits.getManager().full(logits.getShape(), MASKED_LOGIT, DataType.FLOAT32); // [N, E]
        NDArray out = NDArrays.where(condition, masked, logits);                          // [N, E]
        top.close();
        kth.close();
        column.close();
        chosen.close();
        expertMask.close();
        condition.close();
        masked.close();
        return out;
    }

    /** logits [N, E] -> each row's r largest logits masked. */
    private NDArray maskTopR(NDArray logits) {
        NDList top = logits.topK(r, -1, true, true);
        NDArray index = top.get(1);                                                       // [N, r]
        NDArray fill = logits.getManager().full(index.getShape(), MASKED_LOGIT, DataType.FLOAT32); // [N, r]
        NDArray out = logits.scatter(index, fill, 1);                                     // [N, E]
        top.close();
        fill.close();
        return out;
    }

    /** Short label, e.g. {@code L3E5:reroute}, {@code L3:top-1}, {@code L3:zero-shared}, {@code all:zero-shared}. */
    public String label() {
        String at = allLayers() ? "all" : "L" + layer;
        return switch (mode) {
            case TOP_R -> at + ":top-" + r;
            case ZERO_SHARED -> at + ":" + mode.id();
            default -> at + "E" + expert + ":" + mode.id();
        };
    }

    /** What the {@code layer} column of ablation.csv holds: the real layer, or {@code all}. */
    Object layerColumn() {
        return allLayers() ? "all" : layer;
    }

    /** What the {@code expert} column of ablation.csv holds: the expert, {@code top-r} or {@code shared}. */
    Object expertColumn() {
        return switch (mode) {
            case TOP_R -> "top-" + r;
            case ZERO_SHARED -> "shared";
            default -> expert;
        };
    }
}
