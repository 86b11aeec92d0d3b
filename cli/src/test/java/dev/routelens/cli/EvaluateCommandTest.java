package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.train.Evaluate;
import dev.routelens.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate} end to end on a checkpoint that {@code train} wrote, against {@link Evaluate}'s library call. */
class EvaluateCommandTest {

    @Test
    void evaluateReportsWhatTheLibraryCallComputes(@TempDir Path dir) throws Exception {
        Path config = trainConfig(dir, tinyCorpus(dir.resolve("corpus")));
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--config", config.toString(), "--out", run.toString(), "--threads", "1");
        assertEquals(0, train.exit(), train.err() + train.out());

        Path report = dir.resolve("eval").resolve("report.json");
        CliRun evaluate = CliRun.of("evaluate", "--model", run.toString(), "--config", config.toString(),
                "--window", "8", "--out", report.toString(), "--threads", "1");
        assertEquals(0, evaluate.exit(), evaluate.err() + evaluate.out());
        Evaluate.Report expected = Evaluate.run(run, TrainConfig.read(config), 8);
        ObjectMapper json = new ObjectMapper();
        JsonNode written = json.readTree(report.toFile());
        // Through text, as the file is: 392 read back is an int node, the report's own a long node.
        assertEquals(json.readTree(expected.toJson().toString()), written, "the report file is the library's report");
        assertTrue(evaluate.out().startsWith(Evaluate.summary(expected)), evaluate.out());
        assertTrue(evaluate.out().contains("evaluate: report -> " + report), evaluate.out());
        assertEquals(List.of("mathematics", "physics"), fieldNames(written.get("by_label")));
        assertTrue(written.get("heldout_predicted_tokens").asLong() > 0, written.toString());

        // Without --window the config's seq_length (16) cuts the documents; without --out nothing is written.
        CliRun byDefault = CliRun.of("evaluate", "--model", run.toString(), "--config", config.toString(), "--threads", "1");
        assertEquals(0, byDefault.exit(), byDefault.err());
        assertEquals(Evaluate.summary(Evaluate.run(run, TrainConfig.read(config), 16)), byDefault.out().strip());
    }

    @Test
    void badOptionValuesAreRefusedInOneLineBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path config = trainConfig(dir, tinyCorpus(dir.resolve("corpus")));
        String model = TinyModels.weightless(dir.resolve("weightless")).toString(); // the nano config: 1024 positions
        Path out = dir.resolve("eval");
        String report = out.resolve("report.json").toString();
        String c = config.toString();
        refused(CliRun.of("evaluate", "--model", model, "--config", c, "--window", "1", "--out", report),
                "--window must be at least 2 tokens (a target needs a token before it), got 1");
        refused(CliRun.of("evaluate", "--model", model, "--config", c, "--window", "0", "--out", report),
                "--window must be at least 2 tokens");
        refused(CliRun.of("evaluate", "--model", model, "--config", c, "--window", "2000", "--out", report),
                "--window 2000 is longer than the model's context of 1024 positions");
        refused(CliRun.of("evaluate", "--model", model, "--config", c, "--threads", "0", "--out", report),
                "--threads must be >= 1, got 0");
        refused(CliRun.of("evaluate", "--model", dir.resolve("none").toString(), "--config", c, "--out", report),
                "--model " + dir.resolve("none") + ": no such folder");
        refused(CliRun.of("evaluate", "--model", model, "--config", dir.resolve("none.json").toString(), "--out", report),
                "--config " + dir.resolve("none.json") + ": no such file");
        Path noHeldOut = Files.writeString(dir.resolve("no-heldout.json"),
                "{\"model\": \"nano\", \"tokenizer_dir\": \"weightless\", \"samples_dir\": \"corpus\"}");
        refused(CliRun.of("evaluate", "--model", model, "--config", noHeldOut.toString(), "--out", report),
                "--config " + noHeldOut + ": corpus_dir is null, so nothing is held out to score");
        assertFalse(Files.exists(out), "nothing was written for a refused run");
        Files.createDirectories(out.resolve("report.json"));
        refused(CliRun.of("evaluate", "--model", model, "--config", c, "--out", report), "--out " + report + " is a folder");
        CliRun notANumber = CliRun.of("evaluate", "--model", model, "--config", c, "--window", "wide");
        assertEquals(2, notANumber.exit(), notANumber.err());
        assertTrue(notANumber.err().contains("--window"), notANumber.err());
        assertFalse(notANumber.err().contains("\tat "), notANumber.err());
    }

    private static void refused(CliRun run, String expected) {
        String line = TinyModels.refusal(run);
        assertTrue(line.startsWith("routelens: " + expected), line);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    /**
     * A shared-corpus folder of 24 short papers for each of two labels (20 of each are held out), with empty
     * molecule and protein files.
     */
    static Path tinyCorpus(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder papers = new StringBuilder();
        String[] labels = {"physics", "mathematics"};
        for (String label : labels) {
            for (int i = 0; i < 24; i++) {
                papers.append("{\"id\": \"").append(label).append('-').append(i).append("\", \"label\": \"").append(label)
                        .append("\", \"text\": \"We study the ").append(label).append(" of case ").append(i)
                        .append(" and find that it holds in every setting we tried.\"}\n");
            }
        }
        Files.writeString(dir.resolve("papers.jsonl"), papers);
        Files.writeString(dir.resolve("molecules.tsv"), "smiles\tsource\tid\n");
        Files.writeString(dir.resolve("proteins.fasta"), "");
        return dir;
    }

    /** A 3-step training config of a 2-layer model over {@code corpus}, with paths relative to its own folder. */
    static Path trainConfig(Path dir, Path corpus) throws IOException {
        Path home = Path.of(System.getProperty("routelens.home")).toAbsolutePath().normalize();
        String json = """
                {"model": {"model_type": "mixtral", "vocab_size": 4096, "hidden_size": 16, "num_hidden_layers": 2,
                           "num_attention_heads": 2, "num_key_value_heads": 2, "intermediate_size": 16,
                           "num_local_experts": 4, "num_experts_per_tok": 2, "max_position_embeddings": 64},
                 "tokenizer_dir": "%s", "corpus_dir": "%s",
                 "seq_length": 16, "batch_rows": 2, "steps": 3, "peak_lr": 0.001, "warmup_steps": 1,
                 "min_lr_ratio": 0.1, "seed": 1, "init_seed": 1, "checkpoint_every": 3, "eval_every": 0,
                 "eval_rows": 1, "aux_loss_coef": 0.02, "aux_loss_mode": "per_layer_mean", "grad_clip": 1.0,
                 "weight_decay": 0.1}
                """.formatted(home.resolve("model/nano"), dir.relativize(corpus));
        return Files.writeString(dir.resolve("tiny-train.json"), json);
    }
}
