package dev.routelens.model;

/** Where a family applies RMSNorm to queries and keys, after their projections and before RoPE. */
public enum QkNorm {
    /** No q/k norm (Mixtral, Qwen2-MoE). */
    NONE,
    /** One RMSNorm over the whole projection, q [N, h*D] and k [N, g*D] (OLMoE). */
    FULL_WIDTH,
    /** One RMSNorm of width D shared by every head, applied per head (Qwen3-MoE). */
    PER_HEAD
}
