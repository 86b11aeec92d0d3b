package dev.routelens.cli;

import dev.routelens.core.UserError;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.routelens.core.AtomicFiles;
import dev.routelens.core.Digests;
import dev.routelens.core.Folders;
import dev.routelens.routing.LabeledTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code DIR/.checkpoint/inputs.json}: every input that defines a run's results, written when the run starts.
 * {@code --resume DIR} continues only that run: any difference (an option, the model's config or weight files,
 * the documents the sample options select) is refused, naming each, before any work. Without it a resume with
 * another {@code --mode} or {@code --seed} started over and silently replaced the finished results.
 *
 * <p>A run that succeeds removes {@code .checkpoint/} ({@link #finish}) unless {@code --keep-checkpoint}. Its
 * run.json keeps the same command and inputs, so a {@code --resume} of the finished folder is still checked
 * against them: a difference is refused by name, and the same inputs find nothing to resume ({@link #begin}
 * returns null; the command says so and exits 0). A fresh run removes an earlier run.json first, so a run.json
 * always belongs to the folder's last run.
 *
 * <p>The inputs are every option of the command as given or defaulted, except those that only say where or how
 * (see {@link #NOT_INPUTS}), plus digests of the model and the documents. Paths are compared absolute.
 */
final class RunRecord {
    static final String FILE = "inputs.json";

    /**
     * Options that say where or how, not what: where results go, how memory is split in a streamed run (the
     * groups hold whole batches, so the sums are the same), PyTorch's thread count, and help. A run killed for
     * memory may be resumed with a smaller {@code --memory-budget}, one slowed by a busy machine with fewer
     * {@code --threads}. Without {@code --threads} a resume runs at the recorded count ({@link #threads()}), so its
     * results are byte-identical to an uninterrupted run's (sums may differ in the last bits between counts).
     */
    static final Set<String> NOT_INPUTS = Set.of("--out", "--resume", "--help", "--version", "--debug",
            "--memory-budget", "--load-ahead", "--threads", "--keep-checkpoint");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String command;
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private Integer threads; // PyTorch's threads: recorded, not compared; a resume without --threads reuses them

    private RunRecord(String command) {
        this.command = command;
    }

    /** The record of {@code spec}'s command: its options' values (mixins included), in declaration order. */
    static RunRecord of(CommandSpec spec) {
        RunRecord r = new RunRecord(spec.name());
        for (OptionSpec o : spec.options()) {
            if (!NOT_INPUTS.contains(o.longestName())) {
                r.inputs.put(o.longestName(), text(o.getValue()));
            }
        }
        return r;
    }

    /** Adds an input that no option shows, such as a digest of the model or of the documents. */
    RunRecord with(String name, String value) {
        inputs.put(name, value);
        return this;
    }

    /** Adds the digest of the documents: ids, labels, kinds and token ids, in order. */
    RunRecord withDocuments(List<LabeledTokens> docs) {
        MessageDigest md = Digests.sha256();
        for (LabeledTokens d : docs) {
            md.update((d.id() + "\t" + d.label() + "\t" + d.kind().id() + "\t" + Arrays.toString(d.ids()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return with("documents", docs.size() + " sha256:" + Digests.hex(md));
    }

    /** What a {@code --resume} of a finished run with the same inputs prints; it does no work. */
    static String finishedMessage(Path dir, String command) {
        return command + ": " + dir.toAbsolutePath() + " holds this " + command + " run, finished (run.json) and its"
                + " checkpoint removed: nothing to resume. To run it again, use --out " + dir;
    }

    /** A fresh run in {@code dir} first removes an earlier run's run.json: until this run ends, none is finished. */
    static void startFresh(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("run.json"));
    }

    /**
     * After a successful run: removes {@code dir/.checkpoint/}, unless {@code keep}. {@value #FILE} goes last, so a
     * run killed while this deletes still resumes (its record intact) or is finished (nothing left).
     */
    static void finish(Path dir, boolean keep) throws IOException {
        if (keep) {
            return;
        }
        Path checkpoint = dir.resolve(".checkpoint");
        if (!Files.isDirectory(checkpoint)) {
            return;
        }
        try (Stream<Path> files = Files.list(checkpoint)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals(FILE)).toList()) {
                Folders.deleteTree(f);
            }
        }
        Folders.deleteTree(checkpoint);
    }

    /** The run's PyTorch thread count, recorded beside the inputs (null: the engine's own). */
    RunRecord threads(Integer n) {
        threads = n;
        return this;
    }

    /**
     * The thread count to run at: after a {@link #begin} that resumed, the one the interrupted run recorded
     * (results may differ in the last bits between thread counts, and a resume must continue the same sums);
     * otherwise the one given to {@link #threads(Integer)}.
     */
    Integer threads() {
        return threads;
    }

    /** The inputs, in declaration order, for run.json's {@code inputs}. */
    Map<String, String> inputs() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /**
     * Starts the run in {@code dir} and returns its checkpoint folder. A fresh run clears what an earlier run left
     * there and records its inputs; a resumed one must match the record, else it is refused naming each
     * difference. A folder whose earlier run stopped before recording anything is started afresh.
     *
     * @return the checkpoint folder, or null when {@code resume} finds this very run finished and its checkpoint
     *     removed: run.json holds the same command and inputs, and there is nothing to resume
     */
    Path begin(Path dir, boolean resume) throws IOException {
        Path checkpoint = dir.resolve(".checkpoint");
        Path file = checkpoint.resolve(FILE);
        if (resume && Files.isRegularFile(file)) {
            compare(dir, file);
            Number recorded = JSON.readTree(file.toFile()).path("torch_threads").numberValue();
            if (recorded != null) {
                threads = recorded.intValue();
            }
            return checkpoint;
        }
        Path runJson = dir.resolve("run.json");
        if (resume && !hasFiles(checkpoint) && Files.isRegularFile(runJson)) {
            compare(dir, runJson);
            return null;
        }
        if (resume && hasFiles(checkpoint)) {
            throw new UserError("--resume " + dir + ": " + checkpoint + " has no " + FILE
                    + " saying what run it belongs to (an older RouteLens wrote it); start afresh with --out " + dir);
        }
        Folders.clear(checkpoint); // a fresh run must not meet an older run's checkpoints
        Files.createDirectories(checkpoint);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("inputs", inputs);
        json.put("torch_threads", threads);
        AtomicFiles.write(file, w -> JSON.writeValue(w, json));
        return checkpoint;
    }

    private void compare(Path dir, Path file) throws IOException {
        Map<String, Object> json;
        try {
            json = JSON.readValue(file.toFile(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UserError(file + ": unreadable (" + Main.oneLine(e) + "); start afresh with --out " + dir);
        }
        Object was = json.get("command");
        if (was != null && !command.equals(was)) {
            throw new UserError("--resume " + dir + " holds a " + was + " run, not a " + command + " run");
        }
        if (was == null || json.get("inputs") == null) {
            throw new UserError("--resume " + dir + ": " + file.getFileName() + " records no CLI inputs (the JShell"
                    + " facade or an older RouteLens wrote it), so this run cannot be checked against it; start afresh"
                    + " with --out " + dir);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> before = json.get("inputs") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> e : inputs.entrySet()) {
            Object old = before.get(e.getKey());
            if (old == null) {
                differences.add(e.getKey() + " " + e.getValue() + " (that run did not record it)");
            } else if (!old.toString().equals(e.getValue())) {
                differences.add(e.getKey() + " " + e.getValue() + " (that run: " + old + ")");
            }
        }
        for (String k : before.keySet()) {
            if (!inputs.containsKey(k)) {
                differences.add(k + " (only that run had it)");
            }
        }
        if (!differences.isEmpty()) {
            throw new UserError("--resume " + dir + ": this run differs from the one there in " + String.join("; ", differences)
                    + ". Resume with the same inputs, or start a new run with --out");
        }
    }

    private static boolean hasFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Path p) {
            return p.toAbsolutePath().normalize().toString();
        }
        if (value instanceof Collection<?> c) {
            return String.join(",", c.stream().map(RunRecord::text).toList());
        }
        if (value.getClass().isArray()) {
            return Arrays.deepToString(new Object[] {value});
        }
        return value.toString();
    }
}
