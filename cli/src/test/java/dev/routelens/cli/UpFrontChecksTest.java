package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option is checked before any weight loads or any document is routed. The model here is SciDFM-nano's
 * config and tokenizer without weights ({@link TinyModels#weightless}): a run that got as far as loading would
 * fail naming the missing weights, so seeing the option's own message proves it was checked first.
 */
class UpFrontChecksTest {
    @TempDir
    static Path shared;
    static Path model;
    static Path docs;

    @BeforeAll
    static void write() throws IOException {
        model = TinyModels.weightless(shared.resolve("weightless"));
        docs = TinyModels.docs(shared.resolve("docs.csv"), 3, "mathematics", "physics");
    }

    /** {@code command --model weightless --samples docs --out DIR more...}. */
    static CliRun run(String command, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--model", model.toString()));
        if (!command.equals("probe")) {
            args.addAll(List.of("--samples", docs.toString()));
        }
        if (out != null) {
            args.addAll(List.of("--out", out.toString()));
        }
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    static void refused(CliRun run, String expected) {
        String line = TinyModels.refusal(run);
        assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
        assertFalse(line.contains("safetensors"), "checked only after trying to load the weights: " + line);
    }

    @Test
    void figure1OptionsAreCheckedBeforeTheModelLoads(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("f1");
        refused(run("figure1", out, "--perplexity", "0"), "--perplexity must be a finite number >= 1, got 0.0");
        refused(run("figure1", out, "--perplexity", "-5"), "--perplexity must be a finite number >= 1, got -5.0");
        refused(run("figure1", out, "--perplexity", "NaN"), "--perplexity must be a finite number >= 1, got NaN");
        refused(run("figure1", out, "--perplexity", "1e400"), "--perplexity must be a finite number >= 1, got Infinity");
        refused(run("figure1", out, "--iterations", "0"), "--iterations must be >= 1, got 0");
        refused(run("figure1", out, "--batch-docs", "0"), "--batch-docs must be >= 1, got 0");
        refused(run("figure1", out, "--batch-tokens", "-1"), "--batch-tokens must be >= 1, got -1");
        refused(run("figure1", out, "--dims", "4"), "--dims must be 2 or 3, got 4");
        refused(run("figure1", out, "--method", "umap"), "--method must be tsne, tsne-exact, tsne-bh or pca, got 'umap'");
        refused(run("figure1", out, "--per-class", "0"), "--per-class must be a positive number of documents, got 0");
        refused(run("figure1", out, "--labels", "physics,,mathematics"), "--labels has an empty entry");
        refused(run("figure1", out, "--resume", dir.toString()), "--out and --resume are exclusive");
        refused(run("figure1", null, "--resume", dir.resolve("never").toString()), "--resume " + dir.resolve("never") + ": no such folder");
        refused(run("figure1", out, "--split", "train"), "--split applies to --corpus shared");
        refused(run("figure1", out, "--random-init", docs.toString()), "--model and --random-init are exclusive");
        refused(run("figure1", out, "--tokenizer", model.toString()), "--tokenizer applies to --random-init only");
        refused(run("figure1", out, "--init-seed", "5"), "--init-seed applies to --random-init only");
        refused(run("figure1", out, "--device", "tpu"), "--device: unknown device 'tpu'");
        refused(run("figure1", out, "--dtype", "f8"), "--dtype: unknown dtype 'f8'");
        refused(run("figure1", out, "--stream", "--memory-budget", "0.0000001"), "--memory-budget '0.0000001'");
        refused(run("figure1", out, "--memory-budget", "lots"), "--memory-budget 'lots'");
        refused(run("figure1", out, "--memory-budget", "4g"), "--memory-budget applies to streamed runs only");
        refused(run("figure1", out, "--threads", "0"), "--threads must be >= 1, got 0");
        assertFalse(Files.exists(out), "nothing was written for a refused run");
        refused(run("figure1", dir.resolve("labels"), "--labels", "biology"), "unknown label biology"); // read before it is known
    }

    @Test
    void statsLayerIsCheckedAgainstConfigJsonBeforeTheModelLoads(@TempDir Path dir) {
        Path out = dir.resolve("st");
        refused(run("stats", out, "--layer", "99"), "--layer 99 but the model has 26 layers");
        refused(run("stats", out, "--layer", "-5"), "--layer must be a layer index >= 0, got -5");
        refused(run("stats", null), "stats needs exactly one of --out DIR and --resume DIR");
        refused(run("stats", out, "--resume", out.toString()), "stats needs exactly one of --out DIR and --resume DIR");
        assertFalse(Files.exists(out));
    }

    @Test
    void ablateOptionsAreCheckedBeforeTheModelLoads(@TempDir Path dir) {
        Path out = dir.resolve("ab");
        refused(run("ablate", out, "--layer", "30", "--expert", "0"), "ablation layer 30 but the model has 26 layers");
        refused(run("ablate", out, "--layer", "1", "--expert", "8"), "ablation expert 8 but the model has 8 experts");
        refused(run("ablate", out, "--layer", "1", "--expert", "3", "--mode", "top-r"), "--mode top-r takes no --expert");
        refused(run("ablate", out, "--layer", "1", "--expert", "3", "--r", "2"), "--r applies to --mode top-r only");
        refused(run("ablate", out, "--layer", "1", "--mode", "top-r", "--r", "0"), "--r must be >= 1");
        refused(run("ablate", out, "--sweep", "--mode", "top-r", "--r", "7"), "top-r ablation with r=7 leaves fewer than k=2");
        refused(run("ablate", out, "--sweep", "--mode", "zero-shared"), "has no shared expert");
        refused(run("ablate", out, "--sweep", "--per-class", "0"), "--per-class must be a positive number of documents");
        assertFalse(Files.exists(out), "nothing was written for a refused run");
    }

    @Test
    void probeInputIsCheckedBeforeTheModelLoads(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("p.json");
        refused(run("probe", out, "--text", "hi", "--kind", "poem"), "--kind: unknown kind 'poem'");
        refused(run("probe", dir, "--text", "hi"), "--out " + dir + " is a folder; name the file to write");
        refused(run("probe", out, "--input", dir.toString()), "--input " + dir + " is a folder, not a file");
        refused(run("probe", out, "--input", dir.resolve("none.txt").toString()), "--input " + dir.resolve("none.txt") + ": no such file");
        refused(run("probe", out, "--kind", "protein", "--text", "MKV1"), "--text: protein sequence has '1' at residue 4, outside the IUPAC alphabet");
        refused(run("probe", out, "--text", "word ".repeat(2000)), "more than the model's context of 1024");
        refused(run("probe", out, "--kind", "smiles", "--text", "C1CC("), "--text: invalid SMILES");
        refused(run("probe", out, "--kind", "protein", "--text", "ACGTACGTACGTAC"), "--text: protein sequence has only the letters A, C, G, T, U and N");
        assertFalse(Files.exists(out));
    }

    @Test
    void benchOptionsAreCheckedBeforeTheModelLoads(@TempDir Path dir) {
        Path out = dir.resolve("b.json");
        refused(run("bench", out, "--repeats", "0"), "--repeats must be >= 1, got 0");
        refused(run("bench", out, "--docs", "0"), "--docs must be >= 1, got 0");
        refused(run("bench", out, "--sweep-docs", "-1"), "--sweep-docs must be >= 1, got -1");
        refused(run("bench", out, "--tsne-sizes", "60,-5"), "--tsne-sizes: each size must be at least 4 points, got -5");
        refused(run("bench", out, "--skip", "tsen"), "--skip: no section tsen; the sections are forward, dispatch");
        refused(run("bench", out, "--memory", "5,2"), "--memory takes increasing positive document counts such as 1000,5000, got 5,2");
        refused(run("bench", out, "--batch", "2"), "--batch and --tokens go together");
        refused(run("bench", out, "--batch", "2", "--tokens", "0"), "--tokens must be >= 1, got 0");
        refused(run("bench", out, "--batch", "2", "--tokens", "8"), "the sample options (--samples, --corpus, --labels, --per-class) do not apply");
        refused(CliRun.of("bench", "--model", model.toString(), "--batch", "2", "--tokens", "5000", "--out", out.toString()),
                "--tokens 5000 is more than the model's context of 1024");
        assertFalse(Files.exists(out));
    }

    @Test
    void outputPathsThatAreFilesAreNamedAsSuch(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        refused(run("figure1", file), "--out " + file + " is a file, not a folder");
        refused(run("stats", file), "--out " + file + " is a file, not a folder");
        refused(run("figure1", file.resolve("sub")), "--out " + file.resolve("sub") + ": " + file + " is a file, not a folder");
        refused(run("probe", file.resolve("p.json"), "--text", "hi"), "--out " + file.resolve("p.json") + ": " + file + " is a file, not a folder");
        refused(run("bench", file.resolve("b.json")), "--out " + file.resolve("b.json") + ": " + file + " is a file, not a folder");
        Path config = Files.writeString(dir.resolve("train.json"), "{\"steps\": 1, \"warmup_steps\": 0, \"samples_dir\": \".\"}");
        refused(CliRun.of("train", "--config", config.toString(), "--out", file.toString()), "--out " + file + " is a file, not a folder");
        refused(CliRun.of("train", "--config", dir.toString(), "--out", dir.resolve("t").toString()), "--config " + dir + ": a folder, not a config file");
        assertEquals("x", Files.readString(file));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("afile", "train.json"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
