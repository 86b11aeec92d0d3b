package dev.routelens.cli.bench;

import dev.routelens.core.UserError;
import dev.routelens.embed.Tsne;
import java.util.List;

/**
 * How much {@code bench} measures: documents per forward measurement, timed repeats per figure, documents
 * in the ablation sweep and t-SNE sizes. The defaults keep a run to a few minutes; {@link #FULL} are the
 * long run's sizes. Checked on construction, so a wrong value fails before the model loads.
 */
public record BenchSizes(int docs, int repeats, int sweepDocs, List<Integer> tsneSizes) {
    /** The quick default run's sizes (about two minutes on the 2-core machine; the sweep is most of it). */
    public static final BenchSizes DEFAULT = new BenchSizes(32, 3, 1, List.of(600));
    /** {@code --full}: the long run's sizes (about 25 minutes on the 2-core machine). */
    public static final BenchSizes FULL = new BenchSizes(96, 5, 12, List.of(600, 2000, 5000));

    public BenchSizes {
        positive("--docs", docs);
        positive("--repeats", repeats);
        positive("--sweep-docs", sweepDocs);
        for (int n : tsneSizes) {
            if (n < Tsne.MIN_POINTS) {
                throw new UserError("--tsne-sizes: each size must be at least " + Tsne.MIN_POINTS + " points, got " + n);
            }
        }
        tsneSizes = List.copyOf(tsneSizes);
    }

    /** These sizes with each given (non-null) value in place of its default. */
    public BenchSizes with(Integer docs, Integer repeats, Integer sweepDocs, List<Integer> tsneSizes) {
        return new BenchSizes(docs != null ? docs : this.docs, repeats != null ? repeats : this.repeats,
                sweepDocs != null ? sweepDocs : this.sweepDocs, tsneSizes != null ? tsneSizes : this.tsneSizes);
    }

    /** Refuses a count below 1, naming the option. */
    public static void positive(String option, int value) {
        if (value < 1) {
            throw new UserError(option + " must be >= 1, got " + value);
        }
    }
}
