package dev.routelens.cli;

import dev.routelens.core.UserError;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code routelens figure1}: SciDFM's Figure 1, end to end. */
@Command(name = "figure1", mixinStandardHelpOptions = true,
        description = {"Reproduce SciDFM's Figure 1 (which experts documents choose, by class).",
            "Computes every document's expert-choice vector E_T, embeds them with t-SNE in 3-D, measures how",
            "well the classes separate, and writes the figure and its data."})
public final class Figure1Command implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    SampleOptions sampleOptions = new SampleOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final Path DEFAULT_OUT = Path.of("out", "figure1");

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: out/figure1). Held for the run: a second run on it is refused.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue an interrupted run in DIR (same inputs and model); finished batches are not recomputed.")
    Path resume;

    @Option(names = "--keep-checkpoint", description = "Keep DIR/.checkpoint/ after a successful run (default: removed; --resume of a finished run then says so and does nothing).")
    boolean keepCheckpoint;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for sampling and t-SNE (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dims", defaultValue = "3", description = "Embedding dimensions, 2 or 3 (default: ${DEFAULT-VALUE}).")
    int dims;

    @Option(names = "--perplexity", defaultValue = "30", description = "t-SNE perplexity, clamped below (n-1)/3 (default: ${DEFAULT-VALUE}).")
    double perplexity;

    @Option(names = "--iterations", defaultValue = "1000", description = "t-SNE iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--method", defaultValue = "tsne", paramLabel = "tsne|pca|tsne-exact|tsne-bh", description = "Embedding method (default: ${DEFAULT-VALUE}: exact up to 3000 points, Barnes-Hut above).")
    String method;

    @Option(names = "--batch-docs", defaultValue = "32", description = "Documents per forward pass at most (default: ${DEFAULT-VALUE}).")
    int batchDocs;

    @Option(names = "--batch-tokens", defaultValue = "4096", description = "Padded tokens per forward pass at most (default: ${DEFAULT-VALUE}).")
    int batchTokens;

    @Override
    public Integer call() throws Exception {
        if (out != null && resume != null) {
            throw new UserError("--out and --resume are exclusive: --resume DIR continues the run in DIR and writes there");
        }
        Path dir = resume != null ? resume : out != null ? out : DEFAULT_OUT;
        Figure1Job job = new Figure1Job(modelOptions, sampleOptions, RunRecord.of(spec), CommandLines.of(spec), dir,
                keepCheckpoint, resume != null, seed, dims, perplexity, iterations, method, batchTokens, batchDocs);
        job.run();
        return 0;
    }
}
