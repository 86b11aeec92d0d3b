package dev.routelens.cli;

import dev.routelens.core.UserError;
import dev.routelens.samples.CorpusSplit;
import dev.routelens.samples.DefaultSamples;
import dev.routelens.samples.ErrorsCsv;
import dev.routelens.samples.Sample;
import dev.routelens.samples.SampleReader;
import dev.routelens.samples.SampleRequirements;
import dev.routelens.samples.SampleSelection;
import dev.routelens.samples.SampleSet;
import dev.routelens.samples.SharedCorpus;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which documents to run: the default Figure 1 set, a file or directory, or the shared corpus. */
public final class SampleOptions {
    @Option(names = "--samples", paramLabel = "SRC", description = "JSON Lines, CSV, <label>.txt directory, FASTA or .smi (default: samples/figure1).")
    Path samples;

    @Option(names = "--corpus", paramLabel = "shared", description = "'shared': read ../shared/corpus (papers.jsonl, molecules.tsv, proteins.fasta).")
    String corpus;

    @Option(names = "--split", paramLabel = "train|heldout", description = "With --corpus shared: only the training or the held-out part (CorpusSplit; the held-out part never trained SciDFM-nano).")
    String split;

    @Option(names = "--per-class", paramLabel = "N", description = "Sample N documents per label, drawn afresh for each label from --seed and the label's name.")
    Integer perClass;

    @Option(names = "--labels", split = ",", paramLabel = "a,b,c", description = "Keep only these labels.")
    List<String> labels;

    /** Whether any sample option was given (for commands where none applies). */
    boolean given() {
        return samples != null || corpus != null || split != null || perClass != null || (labels != null && !labels.isEmpty());
    }

    /**
     * Checks the options on their own, before anything is read or loaded: exclusive and dependent options,
     * the corpus and split names, a positive {@code --per-class}, no empty {@code --labels} entry.
     */
    void validate() {
        if (samples != null && corpus != null) {
            throw new UserError("--samples and --corpus are exclusive");
        }
        if (corpus != null && !corpus.equals("shared")) {
            throw new UserError("--corpus takes 'shared', got '" + corpus + "'");
        }
        if (split != null && corpus == null) {
            throw new UserError("--split applies to --corpus shared");
        }
        if (split != null && !List.of("train", "heldout", "held-out").contains(split)) {
            throw new UserError("--split takes train or heldout, got '" + split + "'");
        }
        if (perClass != null && perClass <= 0) {
            throw new UserError("--per-class must be a positive number of documents, got " + perClass);
        }
        if (labels != null && labels.stream().anyMatch(label -> label.isBlank())) {
            throw new UserError("--labels has an empty entry (" + String.join(",", labels) + "); name each label");
        }
    }

    /**
     * Reads, selects and returns the samples, refusing an empty set; the source must exist before any model
     * work. Commands that write errors.csv use {@link #readFor}.
     */
    SampleSet read(long seed) {
        return SampleRequirements.ANY.require(select(source(), seed));
    }

    /**
     * Reads and selects the samples for a run writing into {@code out}, before any model is loaded: the records
     * rejected while reading go to {@code out/errors.csv} at once (a stale one from an earlier run is removed),
     * and a set short of {@code needs} is refused in one line saying what it lacks, pointing at errors.csv when
     * it was written.
     */
    SampleSet readFor(long seed, SampleRequirements needs, Path out) {
        SampleSet all = source();
        Optional<Path> written = ErrorsCsv.writeIfAny(out.resolve("errors.csv"), all.errors());
        SampleSet set;
        try {
            set = select(all, seed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage() + ErrorsCsv.seeAlso(written), e);
        }
        List<String> problems = needs.problems(set);
        if (!problems.isEmpty()) {
            throw new UserError(set.source() + ": " + String.join("; ", problems) + ErrorsCsv.seeAlso(written));
        }
        return set;
    }

    /** The whole source: the shared corpus (and split), a file or folder, or the default Figure 1 set. */
    private SampleSet source() {
        validate();
        if (corpus != null) {
            Path dir = SharedCorpus.locate().orElseThrow(() -> new UserError(
                    "--corpus shared: no shared/corpus found beside the checkout (set -Droutelens.corpus=DIR)"));
            SampleSet set = SharedCorpus.readAll(dir);
            if (split == null) {
                return set;
            }
            CorpusSplit parts = CorpusSplit.split(set);
            List<Sample> kept = split.equals("train") ? parts.train() : parts.heldOut();
            return new SampleSet(kept, set.errors(), set.source() + " (" + split + " split)");
        }
        return samples != null ? SampleReader.read(samples) : DefaultSamples.read();
    }

    /** {@code --labels}, then {@code --per-class}; the set's errors are kept. */
    private SampleSet select(SampleSet set, long seed) {
        if (labels != null && !labels.isEmpty()) {
            set = SampleSelection.labels(set, labels);
        }
        if (perClass != null) {
            set = SampleSelection.perClass(set, perClass, seed);
        }
        return set;
    }
}
