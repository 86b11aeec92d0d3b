package dev.routelens.cli;

import dev.routelens.samples.DefaultSamples;
import dev.routelens.samples.SampleReader;
import dev.routelens.samples.SampleSelection;
import dev.routelens.samples.SampleSet;
import dev.routelens.samples.SharedCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which documents to run: the default Figure 1 set, a file or directory, or the shared corpus. */
public final class SampleOptions {
    @Option(names = "--samples", paramLabel = "SRC", description = "JSON Lines, CSV, <label>.txt directory, FASTA or .smi (default: samples/figure1).")
    Path samples;

    @Option(names = "--corpus", paramLabel = "shared", description = "'shared': read ../shared/corpus (papers.jsonl, molecules.tsv, proteins.fasta).")
    String corpus;

    @Option(names = "--split", paramLabel = "train|heldout", description = "With --corpus shared: only the training or the held-out part (CorpusSplit; the held-out part never trained SciDFM-nano).")
    String split;

    @Option(names = "--per-class", paramLabel = "N", description = "Sample N documents per label (seeded by --seed).")
    Integer perClass;

    @Option(names = "--labels", split = ",", paramLabel = "a,b,c", description = "Keep only these labels.")
    List<String> labels;

    /** Reads, selects and returns the samples; the source must exist before any model work. */
    SampleSet read(long seed) {
        if (samples != null && corpus != null) {
            throw new UserError("--samples and --corpus are exclusive");
        }
        SampleSet set;
        if (corpus != null) {
            if (!corpus.equals("shared")) {
                throw new UserError("--corpus takes 'shared', got '" + corpus + "'");
            }
            Path dir = SharedCorpus.locate().orElseThrow(() -> new UserError(
                    "--corpus shared: no shared/corpus found beside the checkout (set -Droutelens.corpus=DIR)"));
            set = SharedCorpus.readAll(dir);
            if (split != null) {
                dev.routelens.samples.CorpusSplit parts = dev.routelens.samples.CorpusSplit.split(set);
                List<dev.routelens.samples.Sample> kept = switch (split) {
                    case "train" -> parts.train();
                    case "heldout", "held-out" -> parts.heldOut();
                    default -> throw new UserError("--split takes train or heldout, got '" + split + "'");
                };
                set = new SampleSet(kept, set.errors(), set.source() + " (" + split + " split)");
            }
        } else if (split != null) {
            throw new UserError("--split applies to --corpus shared");
        } else if (samples != null) {
            set = SampleReader.read(samples);
        } else {
            set = DefaultSamples.read();
        }
        if (labels != null && !labels.isEmpty()) {
            set = SampleSelection.labels(set, labels);
        }
        if (perClass != null) {
            if (perClass <= 0) {
                throw new UserError("--per-class must be positive");
            }
            set = SampleSelection.perClass(set, perClass, seed);
        }
        List<String> wanted = labels != null && !labels.isEmpty() ? labels : new ArrayList<>(set.labels());
        return SampleSelection.requireNonEmpty(set, wanted);
    }
}
