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
import dev.routelens.probe.HookPoints;
import java.util.Map;

/**
 * One expert knock-out at one layer, expressed as probe hooks.
 *
 * @param layer layer l
 * @param expert expert e (ignored by {@link AblationMode#TOP_R})
 * @param mode how the expert is removed
 * @param r experts masked per token in {@link AblationMode#TOP_R}
 */
public record Ablation(int layer, int expert, AblationMode mode, int r) {
    /** What a masked gate logit becomes: finite, so captures stay JSON-safe, and never chosen. */
    public static final float MASKED_LOGIT = -Float.MAX_VALUE;

    public Ablation {
        if (layer < 0 || expert < 0 || r < 0) {
            throw new IllegalArgumentException("ablation layer, expert and r must be non-negative");
        }
        if (mode == null) {
            throw new IllegalArgumentException("ablation needs a mode");
        }
        if (mode == AblationMode.TOP_R && r < 1) {
            throw new IllegalArgumentException("top-r ablation needs r >= 1");
        }
    }

    /** Parses {@code LAYER:EXPERT[:MODE]}, e.g. {@code 3:5} or {@code 3:5:zero}; top-r uses {@code r}. */
    public static Ablation parse(String spec, int r) {
        String[] parts = spec.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("ablation '" + spec + "' must be LAYER:EXPERT[:MODE]");
        }
        try {
            AblationMode mode = parts.length == 3 ? AblationMode.parse(parts[2]) : AblationMode.REROUTE;
            return new Ablation(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()), mode,
                    mode == AblationMode.TOP_R ? Math.max(1, r) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ablation '" + spec + "': layer and expert must be integers");
        }
    }

    /** Refuses a layer or expert the model does not have. */
    public void check(MoeConfig c) {
        if (layer >= c.numLayers()) {
            throw new IllegalArgumentException("ablation layer " + layer + " but the model has " + c.numLayers() + " layers");
        }
        if (mode != AblationMode.TOP_R && expert >= c.numExperts()) {
            throw new IllegalArgumentException("ablation expert " + expert + " but the model has " + c.numExperts() + " experts");
        }
        if (mode == AblationMode.TOP_R && r >= c.numExperts() - c.topK() + 1) {
            throw new IllegalArgumentException("top-r ablation with r=" + r + " leaves fewer than k="
                    + c.topK() + " of " + c.numExperts() + " experts");
        }
    }

    /**
     * The latest point a cached residual may be resumed from: every mode's hooks act inside layer l's
     * MoE (gate logits or expert outputs), so layer l's attention output is the baseline's.
     */
    public ResumePoint resumePoint() {
        return ResumePoint.residMid(layer);
    }

    /** The hooks that apply this ablation; top-k is the model's k. */
    public Map<String, Hook> hooks(int topK) {
        return switch (mode) {
            case ZERO -> Map.of(HookPoints.expertOut(layer, expert), (t, site) -> t.zerosLike());
            case REROUTE -> Map.of(HookPoints.gate(layer), (t, site) -> reroute(t, topK));
            case TOP_R -> Map.of(HookPoints.gate(layer), (t, site) -> maskTopR(t));
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

    /** Short label, e.g. {@code L3E5:reroute}. */
    public String label() {
        return mode == AblationMode.TOP_R ? "L" + layer + ":top-" + r : "L" + layer + "E" + expert + ":" + mode.id();
    }
}
