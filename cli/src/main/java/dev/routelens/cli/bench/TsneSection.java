package dev.routelens.cli.bench;

import dev.routelens.study.Progress;
import dev.routelens.embed.Tsne;
import dev.routelens.embed.TsneConfig;
import dev.routelens.embed.TsneMethod;
import dev.routelens.model.bench.Repeats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code tsne} section: seconds of one 3-D t-SNE (1000 iterations) of points in 6 Gaussian clusters,
 * exact and Barnes-Hut, at each size; exact is left out above 5,000 points (O(n^2)).
 */
final class TsneSection {
    private static final int EXACT_MAX = 5000;

    private TsneSection() {
    }

    /** @param width the points' dimension: the model's expert-choice width */
    static Map<String, Object> run(List<Integer> sizes, int width) {
        Map<String, Object> f = new LinkedHashMap<>();
        Random r = new Random(3);
        long fits = sizes.stream().mapToLong(n -> n > EXACT_MAX ? 1 : 2).sum();
        try (Progress bar = new Progress("bench tsne", fits)) {
            long done = 0;
            for (int n : sizes) {
                double[][] x = new double[n][width]; // [n, width]
                for (int i = 0; i < n; i++) {
                    int cls = i % 6;
                    for (int j = 0; j < width; j++) {
                        x[i][j] = r.nextGaussian() * 0.3 + (j % 6 == cls ? 2 : 0);
                    }
                }
                for (TsneMethod m : new TsneMethod[] {TsneMethod.EXACT, TsneMethod.BARNES_HUT}) {
                    if (m == TsneMethod.EXACT && n > EXACT_MAX) {
                        continue;
                    }
                    TsneConfig c = new TsneConfig(3, 30, 1000, 200, 42, m, 0.5);
                    String key = "n" + n + "_" + m.name().toLowerCase() + "_seconds";
                    try {
                        f.put(key, Repeats.time(() -> Tsne.fit(x, c)));
                    } catch (IllegalArgumentException e) {
                        f.put(key, "refused: " + e.getMessage());
                    }
                    bar.accept(++done);
                }
            }
        }
        return f;
    }
}
