package dev.routelens.model.checkpoint;

import java.nio.file.Path;

/** The safetensors element types this project reads and writes; all widen to float32 on read. */
public enum SafeDType {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16 (max finite 65504). */
    F16(2),
    /** bfloat16: the upper 16 bits of a binary32. */
    BF16(2);

    private final int bytes;

    SafeDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /**
     * The type spelled {@code dtype} in a safetensors header (exact, upper case as the format writes it).
     * Anything else (I64, F64, U8, ...) is refused naming the tensor and the dtype.
     */
    public static SafeDType parse(String dtype, String tensor, Path file) throws CheckpointException {
        for (SafeDType t : values()) {
            if (t.name().equals(dtype)) {
                return t;
            }
        }
        throw CheckpointException.forTensor(file, tensor,
                "unsupported dtype '" + dtype + "' (expected F32, F16 or BF16)");
    }
}
