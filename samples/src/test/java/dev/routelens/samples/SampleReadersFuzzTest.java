package dev.routelens.samples;

import dev.routelens.core.Labels;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for the sample readers, one per format. Whatever the bytes:
 * <ul>
 *   <li>the only exception that escapes is {@link SampleSourceException}, with a one-line message
 *       naming the file;</li>
 *   <li>every {@link SampleError} names the file, a line of it (0 for the whole file) and a one-line
 *       reason that names no Java class or API the input did not itself contain;</li>
 *   <li>no record is lost silently: a file that gives nothing gives one error on line 0, and for the
 *       line formats (JSON Lines, {@code <label>.txt}, {@code .smi}, {@code .tsv}) every record line ends
 *       as exactly one sample or one error on that line. FASTA: every line before the first header has
 *       an error and every record is a sample or has an error within its lines. CSV records may span
 *       lines, so the exact count is checked on inputs without quotes.</li>
 * </ul>
 * {@code mvn verify} replays the seeds under
 * {@code src/test/resources/dev/routelens/samples/SampleReadersFuzzTestInputs/<method>/}; to fuzz one
 * target: {@code JAZZER_FUZZ=1 mvn -B -o -pl model,samples test -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest='SampleReadersFuzzTest#csv'}. The generated corpus goes to {@code samples/.cifuzz-corpus/}
 * (not committed).
 */
class SampleReadersFuzzTest {
    /** A qualified Java name, an exception or error class, a Jackson feature, or a backquoted API name. */
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(java|javax|jdk|sun|com|org)\\.[a-z]\\w*(\\.\\w+)*|\\b[A-Z]\\w*(Exception|Error|Feature|Constraints)\\b|`");

    private static Path work;

    @BeforeAll
    static void createWorkDir() throws IOException {
        work = Files.createTempDirectory("routelens-samples-fuzz");
    }

    @AfterAll
    static void deleteWorkDir() throws IOException {
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void jsonl(byte[] input) throws IOException {
        check("fuzz.jsonl", input, Accounting.LINES);
    }

    @FuzzTest(maxDuration = "5m")
    void txt(byte[] input) throws IOException {
        check("physics.txt", input, Accounting.LINES);
    }

    @FuzzTest(maxDuration = "5m")
    void smi(byte[] input) throws IOException {
        check("fuzz.smi", input, Accounting.SMILES);
    }

    @FuzzTest(maxDuration = "5m")
    void tsv(byte[] input) throws IOException {
        check("fuzz.tsv", input, Accounting.HEADER_THEN_LINES);
    }

    @FuzzTest(maxDuration = "5m")
    void csv(byte[] input) throws IOException {
        check("fuzz.csv", input, Accounting.CSV);
    }

    @FuzzTest(maxDuration = "5m")
    void fasta(byte[] input) throws IOException {
        check("fuzz.fasta", input, Accounting.FASTA);
    }

    /** How records map to lines in a format. */
    private enum Accounting { LINES, SMILES, HEADER_THEN_LINES, CSV, FASTA }

    private static void check(String fileName, byte[] input, Accounting accounting) throws IOException {
        Path file = work.resolve(fileName);
        Files.write(file, input);
        String name = file.toString();
        String inputText = new String(input, StandardCharsets.UTF_8);
        SampleSet set;
        try {
            set = SampleReader.read(file);
        } catch (SampleSourceException e) {
            String message = e.getMessage();
            require(message != null && !message.contains("\n") && !message.contains("\r") && message.contains(name),
                    "a source error must be one line naming the file: " + message);
            requireNoJavaName(message, inputText);
            return;
        }
        List<DecodedLine> lines = Utf8Lines.readAll(file);
        for (SampleError error : set.errors()) {
            require(error.file().equals(name), "error names another file: " + error);
            require(error.line() >= 0 && error.line() <= lines.size(), "error line out of range: " + error);
            require(!error.reason().isBlank() && error.reason().lines().count() == 1, "reason must be one line: " + error);
            requireNoJavaName(error.reason(), inputText);
        }
        for (Sample sample : set.samples()) {
            require(!sample.text().isBlank(), "accepted a blank text: " + sample);
            require(sample.id().equals(sample.id().strip()) && sample.id().chars().noneMatch(Character::isISOControl),
                    "accepted an id with control characters or surrounding space: " + sample);
            require(sample.label().equals(Labels.canonical(sample.label())), "label not canonical: " + sample);
        }
        long records = switch (accounting) {
            case LINES -> lines.stream().filter(line -> !line.isBlank()).count();
            case SMILES -> lines.stream().filter(SampleReadersFuzzTest::isSmilesRecord).count();
            case HEADER_THEN_LINES -> headerThenLines(set, lines, false, '\t');
            case CSV -> headerThenLines(set, lines, inputText.indexOf('"') >= 0, ',');
            case FASTA -> fasta(set, lines);
        };
        if (records < 0) {
            return; // accounted for by the header error, or not countable line by line (quoted CSV)
        }
        if (records == 0) {
            require(set.samples().isEmpty() && set.errors().size() == 1 && set.errors().get(0).line() == 0,
                    "a file without records must give one error on line 0: " + set.errors());
            return;
        }
        if (accounting == Accounting.FASTA) {
            return;
        }
        Set<Long> errorLines = new HashSet<>();
        set.errors().forEach(error -> errorLines.add(error.line()));
        require(errorLines.size() == set.errors().size(), "two errors on one line: " + set.errors());
        require(set.samples().size() + set.errors().size() == records, records + " record lines but "
                + set.samples().size() + " samples and " + set.errors().size() + " errors: " + set.errors());
    }

    private static boolean isSmilesRecord(DecodedLine line) {
        if (!line.ok()) {
            return true;
        }
        String text = line.text().strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return false;
        }
        return !(line.number() == 1 && text.split("\\s+", 2)[0].equalsIgnoreCase("smiles"));
    }

    /**
     * Record lines after the header (the first non-blank line); -1 when a header error accounts for the
     * rest (checked here: it is the only error and counts the lines below it) or when {@code uncountable}
     * (quoted CSV, where records may span lines: then reading must go on after each malformed record).
     * A line with more or fewer {@code delimiter}s than the header must have an error: no record is cut short.
     */
    private static long headerThenLines(SampleSet set, List<DecodedLine> lines, boolean uncountable, char delimiter) {
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        int header = first;
        long below = lines.stream().skip(header + 1L).filter(line -> !line.isBlank()).count();
        boolean headerError = set.errors().stream()
                .anyMatch(error -> error.line() == header + 1L && error.reason().toLowerCase(Locale.ROOT).contains("header"));
        if (headerError && !uncountable) {
            require(set.samples().isEmpty() && set.errors().size() == 1, "a header error must be the only outcome: "
                    + set.errors());
            require(set.errors().get(0).reason().endsWith(CsvFormat.notRead(below)),
                    "a header error must count the " + below + " lines below it: " + set.errors());
            return -1;
        }
        Set<Long> errorLines = new HashSet<>();
        set.errors().forEach(error -> errorLines.add(error.line()));
        if (uncountable) {
            require(header >= lines.size() || !set.samples().isEmpty() || !set.errors().isEmpty(),
                    "non-blank input gave neither samples nor errors");
            String prefix = set.source() + ":";
            for (SampleError error : set.errors()) {
                boolean resumed = error.reason().contains("reading resumed on line");
                boolean more = lines.stream().skip(error.line()).anyMatch(line -> !line.isBlank());
                if (resumed && more) {
                    boolean after = errorLines.stream().anyMatch(line -> line > error.line())
                            || set.samples().stream().anyMatch(sample -> !sample.source().startsWith(prefix)
                                    || Long.parseLong(sample.source().substring(prefix.length())) > error.line());
                    require(after, "nothing was read after the malformed record on line " + error.line() + ": "
                            + set.errors());
                }
            }
            return -1;
        }
        if (header < lines.size() && lines.get(header).ok()) {
            long width = count(lines.get(header).text(), delimiter);
            for (DecodedLine line : lines.subList(header + 1, lines.size())) {
                if (!line.isBlank() && count(line.text(), delimiter) != width) {
                    require(errorLines.contains(line.number()), "line " + line.number() + " has "
                            + count(line.text(), delimiter) + " delimiters, the header " + width + ", yet no error");
                }
            }
        }
        return header >= lines.size() ? 0 : below == 0 ? 0 : below;
    }

    /** Checks FASTA's accounting; returns the number of records (header lines and stray sequence lines). */
    private static long fasta(SampleSet set, List<DecodedLine> lines) {
        Set<Long> errorLines = new HashSet<>();
        set.errors().forEach(error -> errorLines.add(error.line()));
        long headers = 0;
        long withError = 0;
        long strays = 0;
        int i = 0;
        while (i < lines.size() && !lines.get(i).text().startsWith(">")) {
            DecodedLine line = lines.get(i++);
            boolean record = !line.ok() || !(line.text().isBlank() || line.text().startsWith(";"));
            if (record) {
                strays++;
                require(errorLines.contains(line.number()), "sequence line " + line.number()
                        + " before the first header has no error: " + set.errors());
            }
        }
        while (i < lines.size()) {
            int start = i++;
            while (i < lines.size() && !lines.get(i).text().startsWith(">")) {
                i++;
            }
            headers++;
            for (int k = start; k < i; k++) {
                if (errorLines.contains(lines.get(k).number())) {
                    withError++;
                    break;
                }
            }
        }
        require(set.samples().size() + withError == headers, headers + " FASTA records but " + set.samples().size()
                + " samples and " + withError + " with errors: " + set.errors());
        return headers + strays;
    }

    private static long count(String text, char c) {
        return text.chars().filter(ch -> ch == c).count();
    }

    private static void requireNoJavaName(String message, String input) {
        Matcher m = JAVA_NAME.matcher(message);
        while (m.find()) {
            require(input.contains(m.group()), "message names Java API '" + m.group() + "': " + message);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
