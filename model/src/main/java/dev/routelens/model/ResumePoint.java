package dev.routelens.model;

/**
 * Where a partial forward pass picks up a cached residual stream: entering layer {@code layer}
 * ({@code layers.{i}.resid.pre}) or after that layer's attention ({@code layers.{i}.resid.mid}).
 *
 * @param layer decoder layer index, 0 or more
 * @param afterAttention true to resume at {@code resid.mid}, skipping the layer's attention
 */
public record ResumePoint(int layer, boolean afterAttention) {
    public ResumePoint {
        if (layer < 0) {
            throw new IllegalArgumentException("resume layer " + layer + " is negative");
        }
    }

    /** The residual entering layer {@code layer}. */
    public static ResumePoint residPre(int layer) {
        return new ResumePoint(layer, false);
    }

    /** The residual after layer {@code layer}'s attention, before its MoE. */
    public static ResumePoint residMid(int layer) {
        return new ResumePoint(layer, true);
    }

    /** The hook point whose captured tensor this resumes from. */
    public String hookName() {
        return afterAttention ? DecoderLayer.residMid(layer) : DecoderLayer.residPre(layer);
    }
}
