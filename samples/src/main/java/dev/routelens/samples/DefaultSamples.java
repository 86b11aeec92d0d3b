package dev.routelens.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The default Figure 1 set shipped in the repository, {@code samples/figure1}: 100 documents for each
 * of the six classes (see samples/README.md for where they come from).
 */
public final class DefaultSamples {
    /** System property naming the repository root. */
    public static final String PROPERTY = "routelens.home";
    /** Where the set lives, relative to the repository root. */
    public static final Path RELATIVE_DIR = Path.of("samples", "figure1");

    private DefaultSamples() {
    }

    /**
     * The set's directory: under the {@value #PROPERTY} property when it is set, else the first
     * {@code samples/figure1} directory found walking up from the working directory.
     *
     * @throws SampleSourceException when neither finds it
     */
    public static Path locate() {
        String home = System.getProperty(PROPERTY);
        if (home != null && !home.isBlank()) {
            Path dir = Path.of(home).resolve(RELATIVE_DIR);
            if (!Files.isDirectory(dir)) {
                throw new SampleSourceException("default samples not found: " + dir + " (from -D" + PROPERTY + "=" + home + ")");
            }
            return dir;
        }
        Path start = Path.of("").toAbsolutePath();
        return locateFrom(start).orElseThrow(() -> new SampleSourceException("default samples not found: no "
                + RELATIVE_DIR + " in " + start + " or its ancestors (set -D" + PROPERTY + "=<repository root>)"));
    }

    /** The first {@code <ancestor>/samples/figure1} directory, walking up from {@code start}. */
    public static Optional<Path> locateFrom(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE_DIR);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Reads the default set. */
    public static SampleSet read() {
        return SampleReader.read(locate());
    }
}
