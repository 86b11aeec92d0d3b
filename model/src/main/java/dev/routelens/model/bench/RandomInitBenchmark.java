package dev.routelens.model.bench;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.checkpoint.MixtralNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times {@link RandomWeights} on every tensor of one decoder layer of a config (default
 * {@code model/configs/scidfm.json}: 704M values), and beside it the generator RandomWeights used before
 * (per-element Box-Muller with StrictMath on one SplittableRandom per tensor), kept here only for the
 * comparison. The two variants' repeats are interleaved so that a shared machine's drift hits both alike.
 * <pre>
 * RandomInitBenchmark [CONFIG.json] [--runs N] [--no-legacy]
 * </pre>
 */
public final class RandomInitBenchmark {

    private RandomInitBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path configFile = Path.of("model/configs/scidfm.json");
        int runs = 3;
        boolean legacy = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--no-legacy" -> legacy = false;
                default -> configFile = Path.of(args[i]);
            }
        }
        MoeConfig config = MoeConfig.read(configFile);
        Map<String, long[]> layer = layerShapes(config, 0);
        long values = 0;
        for (long[] shape : layer.values()) {
            values += elements(shape);
        }
        System.out.printf("%s, layer 0: %d tensors, %.1fM values, %d cores%n", configFile, layer.size(),
                values / 1e6, Runtime.getRuntime().availableProcessors());

        RandomWeights weights = RandomWeights.of(20240927);
        Repeats current = new Repeats(runs);
        Repeats old = new Repeats(runs);
        double sink = 0;
        for (int r = 0; r < runs; r++) {
            try (Repeats.Timer t = current.start()) {
                for (Map.Entry<String, long[]> e : layer.entrySet()) {
                    sink += touch(weights.read(e.getKey(), e.getValue()));
                }
            }
            report("RandomWeights (ziggurat, chunked)", r, current.last(), values);
            if (legacy) {
                try (Repeats.Timer t = old.start()) {
                    for (Map.Entry<String, long[]> e : layer.entrySet()) {
                        sink += touch(legacyRead(weights, e.getKey(), elements(e.getValue())));
                    }
                }
                report("legacy (Box-Muller, StrictMath)", r, old.last(), values);
            }
        }
        System.out.printf("median of %d: RandomWeights %.2f s (%.0fM values/s)", runs, current.median(),
                values / current.median() / 1e6);
        if (legacy) {
            System.out.printf(", legacy %.2f s (%.0fM values/s), speed-up %.1fx", old.median(),
                    values / old.median() / 1e6, old.median() / current.median());
        }
        System.out.printf("%n(checksum %.6f)%n", sink);
    }

    /** The tensors of decoder layer {@code index} with their shapes, in layout order. */
    static Map<String, long[]> layerShapes(MoeConfig config, int index) {
        String prefix = MixtralNames.layer(index) + ".";
        Map<String, long[]> layer = new LinkedHashMap<>();
        MixtralNames.expectedShapes(config).forEach((name, shape) -> {
            if (name.startsWith(prefix)) {
                layer.put(name, shape);
            }
        });
        return layer;
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void report(String variant, int run, double seconds, long values) {
        System.out.printf("run %d  %-34s %6.2f s  %6.0fM values/s%n", run + 1, variant, seconds, values / seconds / 1e6);
    }

    /** Reads two values so the generated array cannot be optimised away. */
    private static double touch(float[] values) {
        return values.length == 0 ? 0 : values[0] + values[values.length - 1];
    }

    /** RandomWeights.read as it was before commons-rng: one SplittableRandom per tensor, Box-Muller. */
    private static float[] legacyRead(RandomWeights w, String name, long count) {
        float[] out = new float[Math.toIntExact(count)]; // the tensor, flattened
        if (name.endsWith("norm.weight")) {
            java.util.Arrays.fill(out, 1f);
            return out;
        }
        long h = 0xcbf29ce484222325L; // FNV-1a 64 of the name
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        SplittableRandom rng = new SplittableRandom(w.seed() ^ h);
        for (int i = 0; i < out.length; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            out[i] = (float) (StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2) * w.std());
        }
        return out;
    }
}
