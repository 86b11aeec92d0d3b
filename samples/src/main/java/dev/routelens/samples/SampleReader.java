package dev.routelens.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads samples from a file or a directory, choosing the format by file extension:
 * <ul>
 *   <li>{@code .jsonl}, {@code .json}: JSON Lines records (also the corpus papers schema);</li>
 *   <li>{@code .csv}: columns id,label,kind,text[,source];</li>
 *   <li>{@code .txt}: {@code <label>.txt}, one item a line;</li>
 *   <li>{@code .fasta}, {@code .fa}, {@code .faa}: protein FASTA, label {@code proteins};</li>
 *   <li>{@code .smi}: SMILES with an optional name column, label {@code molecules};</li>
 *   <li>{@code .tsv}: molecules with a {@code smiles} column.</li>
 * </ul>
 * A directory is read file by file in sorted name order (not recursively; hidden files, subdirectories
 * and other extensions are ignored). Every record is validated; bad records become {@link SampleError}s
 * and the rest are kept; a file that yields no record at all (empty, blank, only a header or comments)
 * becomes one error on line 0. A missing or unreadable source, or one that is not a regular file (a named
 * pipe, a device, a broken link; also such an entry with a sample extension in a directory), throws
 * {@link SampleSourceException}, whose one-line message names the path and says what it is.
 */
public final class SampleReader {
    /** The extensions this reader understands, lower case, without the dot. */
    public static final List<String> EXTENSIONS = List.of("jsonl", "json", "csv", "txt", "fasta", "fa", "faa", "smi", "tsv");

    private SampleReader() {
    }

    /** Reads a sample file or a directory of them. */
    public static SampleSet read(Path src) {
        SourcePaths.requireFileOrDirectory(src, "sample source");
        if (Files.isDirectory(src)) {
            List<Path> files = filesIn(src);
            if (files.isEmpty()) {
                throw new SampleSourceException("no sample files (" + String.join(", ", EXTENSIONS) + ") in " + src);
            }
            return readFiles(files, src.toString());
        }
        if (formatOf(src).isEmpty()) {
            throw new SampleSourceException("unsupported sample file " + src + " (expected ."
                    + String.join(", .", EXTENSIONS) + ")");
        }
        return readFiles(List.of(src), src.toString());
    }

    /**
     * Reads several files into one set, in the given order; ids must be unique across all of them.
     *
     * @param source what the set is called, e.g. the directory the files are in
     */
    public static SampleSet readFiles(List<Path> files, String source) {
        SampleCollector collector = new SampleCollector();
        for (Path file : files) {
            SampleFormat format = formatOf(file).orElseThrow(() -> new SampleSourceException(
                    "unsupported sample file " + file + " (expected ." + String.join(", .", EXTENSIONS) + ")"));
            SourcePaths.requireReadableFile(file, "sample source");
            int before = collector.outcomes();
            format.read(file, collector);
            if (collector.outcomes() == before) {
                collector.reject(file.toString(), 0, "", emptyFileReason(file));
            }
        }
        return collector.toSet(source);
    }

    /**
     * The supported files directly inside {@code dir}, sorted by name. An entry with a sample extension
     * that is neither a file nor a directory (a named pipe, a broken link) is refused rather than skipped.
     */
    static List<Path> filesIn(Path dir) {
        if (!Files.isReadable(dir)) {
            throw new SampleSourceException("cannot read sample directory " + dir + " (permission denied)");
        }
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(dir)) {
            candidates = entries.filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> formatOf(file).isPresent())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SampleSourceException("cannot read sample directory " + dir + " (" + SourcePaths.describe(e) + ")", e);
        } catch (UncheckedIOException e) {
            throw new SampleSourceException("cannot read sample directory " + dir + " ("
                    + SourcePaths.describe(e.getCause()) + ")", e);
        }
        for (Path file : candidates) {
            if (SourcePaths.isSpecial(file)) {
                throw new SampleSourceException("sample file " + file + " is not a regular file ("
                        + SourcePaths.specialKind(file) + ")");
            }
        }
        return candidates.stream().filter(Files::isRegularFile).toList();
    }

    /** Why a file gave no record: it is empty, or holds only blank lines, a header or comments. */
    private static String emptyFileReason(Path file) {
        try {
            return Files.size(file) == 0 ? "no samples in this file: it is empty"
                    : "no samples in this file: it has no records (only blank lines, a header or comments)";
        } catch (IOException e) {
            return "no samples in this file";
        }
    }

    private static Optional<SampleFormat> formatOf(Path file) {
        String fileName = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1);
        return Optional.ofNullable(switch (extension) {
            case "jsonl", "json" -> new JsonlFormat();
            case "csv" -> new CsvFormat();
            case "txt" -> new LabelTextFormat();
            case "fasta", "fa", "faa" -> new FastaFormat();
            case "smi" -> new SmilesFormat();
            case "tsv" -> new TsvFormat();
            default -> null;
        });
    }
}
