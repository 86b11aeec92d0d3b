package dev.routelens.model;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/** Activation and weight precision of a loaded model. Gate logits are always float32. */
public enum Precision {
    F32(DataType.FLOAT32),
    F16(DataType.FLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Parses {@code f32} or {@code f16}. */
    public static Precision parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f32", "float32", "fp32" -> F32;
            case "f16", "float16", "fp16", "half" -> F16;
            default -> throw new IllegalArgumentException("unknown dtype '" + s + "' (expected f32 or f16)");
        };
    }
}
