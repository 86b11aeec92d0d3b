package dev.routelens.model;

import ai.djl.Device;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The sizes that decide how a model can run on this machine, known before any weight is read: all
 * weights in the compute dtype, one decoder layer, the embedding (and the untied LM head), and the
 * memory available on the compute device (host MemAvailable, or the GPU's free memory).
 *
 * @param weightBytes every weight of the model
 * @param layerBytes one decoder layer
 * @param endsBytes the embedding plus the untied LM head
 * @param availableBytes memory available now on the device, or -1 when unknown
 * @param device where it runs, for messages
 */
public record MemoryPlan(long weightBytes, long layerBytes, long endsBytes, long availableBytes, String device) {

    /** Share of the available memory an in-memory model may fill; the rest is for activations. */
    static final double IN_MEMORY_SHARE = 0.8;

    /** The plan for {@code config} in {@code precision} on {@code device}. */
    public static MemoryPlan of(MoeConfig config, Precision precision, Device device) {
        long bytes = precision.dataType().getNumOfBytes();
        long ends = (long) config.vocabSize() * config.hiddenSize() * (config.tieWordEmbeddings() ? 1 : 2);
        return new MemoryPlan(config.parameterCount() * bytes, config.layerParameterCount() * bytes, ends * bytes,
                available(device), device.isGpu() ? "the GPU" : "this machine");
    }

    /** Whether the whole model fits in memory with room for activations (true when unknown). */
    public boolean fitsInMemory() {
        return availableBytes < 0 || weightBytes <= IN_MEMORY_SHARE * availableBytes;
    }

    /** Resident weights of a streamed run: one layer (two when loading ahead) and the largest end. */
    public long streamedWeightBytes(boolean loadAhead) {
        return layerBytes * (loadAhead ? 2 : 1) + endsBytes;
    }

    /** Whether a streamed run's resident weights fit (true when unknown). */
    public boolean fitsStreamed(boolean loadAhead) {
        return availableBytes < 0 || streamedWeightBytes(loadAhead) <= IN_MEMORY_SHARE * availableBytes;
    }

    /**
     * The default budget of a streamed run's resident residual stream: half of what the available memory
     * leaves after the resident weights and 1 GiB of headroom, and at least 256 MiB.
     */
    public long defaultResidualBudget(boolean loadAhead) {
        if (availableBytes < 0) {
            return 4L << 30;
        }
        long left = availableBytes - streamedWeightBytes(loadAhead) - (1L << 30);
        return Math.max(256L << 20, left / 2);
    }

    /** Bytes as "74.0 GB". */
    public static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    /** Memory available on {@code device} now, in bytes; -1 when it cannot be read. */
    public static long available(Device device) {
        if (device.isGpu()) {
            try {
                MemoryUsage usage = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
                return usage.getMax() - usage.getUsed();
            } catch (RuntimeException | LinkageError e) {
                return -1;
            }
        }
        return meminfoBytes("MemAvailable:");
    }

    /** A kB line of /proc/meminfo in bytes, or -1. */
    static long meminfoBytes(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Parses a size such as {@code 512m}, {@code 4g}, {@code 4GB} or a plain byte count. Errors name
     * {@code option}.
     */
    public static long parseSize(String text, String option) {
        String s = text.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long unit = 1;
        if (!s.isEmpty() && "kmgt".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmgt".indexOf(s.charAt(s.length() - 1)) + 1));
            s = s.substring(0, s.length() - 1);
        }
        try {
            double v = Double.parseDouble(s);
            double bytes = v * unit;
            if (!(bytes >= 1) || Double.isInfinite(bytes)) { // "0.0001" is no budget at all, not 0 bytes
                throw new NumberFormatException();
            }
            return (long) Math.min(Long.MAX_VALUE, bytes);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "': expected a size of at least one byte, such as 512m or 8g");
        }
    }
}
