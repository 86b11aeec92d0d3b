package dev.routelens.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The shared real-data corpus that lives beside the repository ({@code ../shared/corpus} from the
 * repository root): papers.jsonl (labelled abstracts, labels include {@code other}), molecules.tsv and
 * proteins.fasta. It is read in place and never copied into the repository.
 */
public final class SharedCorpus {
    /** System property naming the corpus directory. */
    public static final String PROPERTY = "routelens.corpus";
    /** Environment variable naming the corpus directory, used when the property is unset. */
    public static final String ENV = "ROUTELENS_CORPUS";
    public static final String PAPERS = "papers.jsonl";
    public static final String MOLECULES = "molecules.tsv";
    public static final String PROTEINS = "proteins.fasta";

    private SharedCorpus() {
    }

    /**
     * The corpus directory: the {@value #PROPERTY} property, else the {@value #ENV} variable (either
     * is returned as given, even when missing, so that reading it names the bad path), else the first
     * {@code shared/corpus} directory found inside the working directory or one of its ancestors.
     */
    public static Optional<Path> locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        return locateFrom(Path.of("").toAbsolutePath());
    }

    /** The first {@code <ancestor>/shared/corpus} directory, walking up from {@code start}. */
    public static Optional<Path> locateFrom(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("corpus");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Reads papers.jsonl, molecules.tsv and proteins.fasta of {@code corpusDir} into one set. */
    public static SampleSet readAll(Path corpusDir) {
        if (!Files.isDirectory(corpusDir)) {
            throw new SampleSourceException("shared corpus not found: " + corpusDir);
        }
        List<Path> files = List.of(corpusDir.resolve(PAPERS), corpusDir.resolve(MOLECULES), corpusDir.resolve(PROTEINS));
        return SampleReader.readFiles(files, corpusDir.toString());
    }
}
