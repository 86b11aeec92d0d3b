package dev.routelens.cli;

import dev.routelens.core.InputKind;
import dev.routelens.core.UserError;
import dev.routelens.samples.InputChecks;
import dev.routelens.samples.Sample;
import dev.routelens.samples.SampleError;
import dev.routelens.samples.SampleReader;
import dev.routelens.samples.SampleSet;
import dev.routelens.samples.SampleSourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What probe runs on: one document ({@code --text}, or an {@code --input} file that is not a sample file) or
 * every record of a sample file, each checked as the sample readers check it. A document's text is normalised
 * once (a SMILES stripped, a protein without whitespace and upper case) and that text is both checked and
 * encoded, as the sample readers and the studies' tokenisation do.
 *
 * @param documents what to probe, in input order; never empty
 * @param errors the sample file's rejected records (empty for one document)
 * @param many true for a sample file: the JSON then lists documents
 */
record ProbeInput(List<Sample> documents, List<SampleError> errors, boolean many) {
    ProbeInput {
        documents = List.copyOf(documents);
        errors = List.copyOf(errors);
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("probe input without documents");
        }
        if (!many && documents.size() != 1) {
            throw new IllegalArgumentException("a one-document probe input has " + documents.size());
        }
    }

    /** The sample-file extensions {@code --input} reads record by record; a .txt file is one document. */
    static final List<String> SAMPLE_EXTENSIONS = SampleReader.EXTENSIONS.stream().filter(e -> !e.equals("txt")).toList();

    /** The most a one-document --input file may hold: far beyond any model's context, short of filling the heap. */
    static final int MAX_INPUT_BYTES = 64 << 20;

    /** {@code --text}: one document of {@code kind}. */
    static ProbeInput text(String text, InputKind kind) {
        return one("--text", text, kind);
    }

    /**
     * {@code --input FILE}: a sample file's records, or the whole file as one document of {@code kind} (null:
     * text). {@code --kind} does not apply to a sample file, whose records carry their own kind.
     */
    static ProbeInput file(Path file, InputKind kind) {
        if (!isSampleFile(file)) {
            return one("--input " + file, read(file), kind == null ? InputKind.TEXT : kind);
        }
        if (kind != null) {
            throw new UserError("--kind applies to --text and one-document files; the records of --input " + file
                    + " carry their own kind");
        }
        SampleSet set;
        try {
            set = SampleReader.read(file);
        } catch (SampleSourceException e) {
            throw new UserError("--input: " + e.getMessage());
        }
        if (set.samples().isEmpty()) {
            throw new UserError("--input " + file + ": no record was accepted; the first rejected: " + set.errors().get(0));
        }
        return new ProbeInput(set.samples(), set.errors(), true);
    }

    /** True when {@code file}'s extension names a sample format read record by record. */
    static boolean isSampleFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && SAMPLE_EXTENSIONS.contains(name.substring(dot + 1)) && !Files.isDirectory(file);
    }

    private static ProbeInput one(String where, String raw, InputKind kind) {
        String text = InputChecks.normalize(kind, raw);
        String problem = new InputChecks().problem(kind, text);
        if (problem != null) {
            throw new UserError(where + ": " + problem);
        }
        return new ProbeInput(List.of(new Sample("input", kind.id(), kind, text, where)), List.of(), false);
    }

    /**
     * A one-document --input file as UTF-8. A pipe is read (so {@code --input <(cmd)} works); a folder, a missing
     * file or one larger than {@link #MAX_INPUT_BYTES} (a device such as /dev/zero never ends) is refused by name.
     */
    static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserError("--input " + file + " is a folder, not a file");
        }
        if (!Files.exists(file)) {
            throw new UserError("--input " + file + ": no such file");
        }
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
        } catch (java.io.IOException e) {
            throw new UserError("--input " + file + ": cannot read (" + Main.oneLine(e) + ")");
        }
        if (bytes.length > MAX_INPUT_BYTES) {
            throw new UserError("--input " + file + ": more than " + (MAX_INPUT_BYTES >> 20)
                    + " MiB; a one-document file is one document (sample files: ." + String.join(", .", SAMPLE_EXTENSIONS) + ")");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserError("--input " + file + ": not valid UTF-8");
        }
    }
}
