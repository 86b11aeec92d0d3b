package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.samples.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stats, ablate, --random-init and --corpus shared, end to end on small inputs. */
class StudyCommandsTest {

    @Test
    void statsWritesMetricTablesAndPlots(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("stats", "--per-class", "3", "--out", dir.toString(), "--layer", "5");
        assertEquals(0, run.exit(), run.err());
        List<String> metrics = Files.readAllLines(dir.resolve("routing_metrics.csv"));
        assertTrue(metrics.get(0).startsWith("class,layer,documents,tokens"), metrics.get(0));
        assertEquals(1 + 7 * 26, metrics.size(), "six classes and the pooled row, 26 layers each");
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(18, summary.get("documents").asInt());
        assertEquals(13.0 / 28, summary.get("random_baseline_either").asDouble(), 1e-12);
        for (String f : List.of("expert_share_layer5.png", "coactivation_layer5.png", "coactivation.csv")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertTrue(metrics.get(0).endsWith(",E0,E1,E2,E3,E4,E5,E6,E7"), metrics.get(0));
        assertEquals("panel,from_expert,to_expert,value", Files.readAllLines(dir.resolve("coactivation_layer5.csv")).get(0));
        assertEquals(18, OutputChecks.runJson(dir, "stats").get("documents").asInt());
        // issue 19's studies: one row per layer, per (layer, expert, class), per (class, layer pair, i, j)
        List<String> information = Files.readAllLines(dir.resolve("class_expert_information.csv"));
        assertEquals(List.of("layer,mutual_information_nats,normalised"), information.subList(0, 1));
        assertEquals(1 + 26, information.size());
        List<String> specialisation = Files.readAllLines(dir.resolve("domain_specialisation.csv"));
        assertEquals("layer,expert,class,share,share_size_normalised", specialisation.get(0));
        assertEquals(1 + 26 * 8 * 6, specialisation.size());
        List<String> transitions = Files.readAllLines(dir.resolve("layer_transitions.csv"));
        assertEquals("class,from_layer,to_layer,from_expert,to_expert,probability,count", transitions.get(0));
        assertEquals(1 + 7 * 25 * 8 * 8, transitions.size());
        assertEquals(1 + 7 * 25, Files.readAllLines(dir.resolve("transition_information.csv")).size());
        assertEquals("panel,from_expert,to_expert,value",
                Files.readAllLines(dir.resolve("transitions_all_classes.csv")).get(0));
        assertTrue(Files.size(dir.resolve("transitions_all_classes.png")) > 0);
        List<String> tokenSpecialisation = Files.readAllLines(dir.resolve("token_specialisation.csv"));
        assertEquals("key,layer,expert,specialisation,random_baseline,keys,tokens,min_count", tokenSpecialisation.get(0));
        assertEquals(1 + 3 * 26 * (1 + 8), tokenSpecialisation.size(), "three keys, 26 layers, all + 8 experts");
        List<String> saliency = Files.readAllLines(dir.resolve("expert_saliency.csv"));
        assertEquals("class,layer,expert,score,tokens,rank", saliency.get(0));
        assertEquals(1 + 7 * 26 * 8, saliency.size());
        for (String plot : List.of("token_specialisation_by_layer.png", "expert_saliency_by_layer.png")) {
            assertTrue(Files.size(dir.resolve(plot)) > 0, plot);
        }
        assertEquals(0.25, summary.get("token_specialisation_random_baseline").asDouble(), 1e-12);
        assertTrue(summary.get("token_specialisation_layer_mean").has("predicted_next"), summary.toString());
        OutputChecks.summaryListsEveryFile(dir, run.out());
    }

    @Test
    void saliencyIsCheckedAgainstAZeroSweep(@TempDir Path dir) throws Exception {
        Path sweep = dir.resolve("sweep");
        CliRun ablate = CliRun.of("ablate", "--labels", "molecules", "--per-class", "2", "--sweep", "--mode", "zero",
                "--out", sweep.toString());
        assertEquals(0, ablate.exit(), ablate.err());
        Path stats = dir.resolve("stats");
        CliRun run = CliRun.of("stats", "--labels", "molecules", "--per-class", "2", "--against-sweep", sweep.toString(),
                "--min-token-count", "2", "--out", stats.toString());
        assertEquals(0, run.exit(), run.err());
        List<String> rows = Files.readAllLines(stats.resolve("saliency_vs_sweep.csv"));
        assertEquals("mode,class,pairs,spearman,p_value", rows.get(0));
        assertEquals(3, rows.size(), "molecules and (all), mode zero: " + rows);
        for (String row : rows.subList(1, 3)) {
            String[] f = row.split(",");
            assertEquals("zero", f[0]);
            assertTrue(Integer.parseInt(f[2]) > 26 * 2, "most (layer, expert) pairs were routed to: " + row);
            double rho = Double.parseDouble(f[3]);
            assertTrue(rho >= -1 && rho <= 1, row);
        }
        assertEquals(2, OutputChecks.runJson(stats, "stats").get("min_token_count").asInt());
        OutputChecks.summaryListsEveryFile(stats, run.out());

        CliRun missing = CliRun.of("stats", "--against-sweep", dir.resolve("nowhere").toString(), "--out",
                dir.resolve("refused").toString());
        assertEquals(1, missing.exit(), missing.err());
        assertTrue(missing.err().contains("--against-sweep") && missing.err().contains("nowhere"), missing.err());
        assertFalse(Files.exists(dir.resolve("refused").resolve("run.json")), "refused before any work");
    }

    @Test
    void ablateOneExpertAndSweep(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one");
        CliRun single = CliRun.of("ablate", "--labels", "molecules,proteins", "--per-class", "2", "--layer", "4",
                "--expert", "1", "--mode", "zero", "--out", one.toString());
        assertEquals(0, single.exit(), single.err());
        List<String> rows = Files.readAllLines(one.resolve("ablation.csv"));
        assertEquals("class,layer,expert,mode,nll_base,nll_ablated,delta,tokens", rows.get(0));
        assertEquals(1 + 3, rows.size(), "two classes and the pooled row");
        assertTrue(Files.readAllLines(one.resolve("routing_shift.csv")).size() > 1);

        Path sweep = dir.resolve("sweep");
        CliRun all = CliRun.of("ablate", "--labels", "molecules", "--per-class", "1", "--sweep", "--mode", "top-r",
                "--r", "1", "--out", sweep.toString());
        assertEquals(0, all.exit(), all.err());
        assertEquals(1 + 26 * 2, Files.readAllLines(sweep.resolve("ablation.csv")).size());
        assertTrue(Files.size(sweep.resolve("ablation_delta.png")) > 0);
        assertEquals("top-r", OutputChecks.runJson(sweep, "ablate").get("sweep_mode").asText());
        OutputChecks.runJson(one, "ablate");
        OutputChecks.summaryListsEveryFile(sweep, all.out());
        OutputChecks.summaryListsEveryFile(one, single.out());
    }

    @Test
    void benchWritesEveryFigureOnASmallRandomModel(@TempDir Path dir) throws Exception {
        Path config = Path.of(System.getProperty("routelens.home"), "model", "configs", "tiny-gqa.json");
        Path out = dir.resolve("bench.json");
        CliRun run = CliRun.of("bench", "--random-init", config.toString(), "--batch", "2", "--tokens", "24",
                "--repeats", "1", "--sweep-docs", "2", "--tsne-sizes", "60", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode f = new ObjectMapper().readTree(out.toFile());
        assertEquals(48, f.get("bench_tokens").asInt());
        for (String section : List.of("forward", "dispatch", "batching", "ablation_sweep", "tsne")) {
            assertTrue(f.has(section), "missing section " + section + " in " + f);
        }
        JsonNode sweep = f.get("ablation_sweep");
        assertEquals(4 * 8, sweep.get("ablations").asInt(), "4 layers x 8 experts");
        for (String key : List.of("residual_cached_seconds", "naive_seconds", "speedup",
                "per_ablation_interleaved_cached_seconds", "per_ablation_interleaved_naive_seconds",
                "per_ablation_interleaved_speedup", "speedup_median_of_pairs")) {
            double v = sweep.get(key).asDouble();
            assertTrue(v > 0 && Double.isFinite(v), key + " = " + v);
        }
        assertEquals(1, sweep.get("speedup_per_pair").size());
        assertTrue(f.get("forward").get("plain_tokens_per_s").asDouble() > 0);
        assertTrue(run.out().contains("per_ablation_interleaved_speedup"), run.out());
    }

    @Test
    void randomInitModelsNeedNoCheckpoint(@TempDir Path dir) throws Exception {
        Path config = Path.of(System.getProperty("routelens.home"), "model", "configs", "tiny-gqa.json");
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertEquals(0, CliRun.of("probe", "--random-init", config.toString(), "--init-seed", "5", "--text", "seeded",
                "--out", a.toString()).exit());
        assertEquals(0, CliRun.of("probe", "--random-init", config.toString(), "--init-seed", "5", "--text", "seeded",
                "--out", b.toString()).exit());
        JsonNode ja = new ObjectMapper().readTree(a.toFile());
        JsonNode jb = new ObjectMapper().readTree(b.toFile());
        assertEquals(ja.get("gate_logits"), jb.get("gate_logits"), "same seed, same gate logits");
        assertEquals(4, ja.get("gate_logits").size());
    }

    @Test
    void sharedCorpusLoadsThroughTheSameReaders(@TempDir Path dir) throws Exception {
        boolean present = SharedCorpus.locate().filter(Files::isDirectory).isPresent();
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(present, "../shared/corpus is absent: the shared-corpus CLI test needs it");
        }
        CliRun run = CliRun.of("figure1", "--corpus", "shared", "--labels", "mathematics,physics,molecules",
                "--per-class", "4", "--iterations", "250", "--out", dir.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals(1 + 12, Files.readAllLines(dir.resolve("expert_choice.csv")).size());
    }

    @Test
    void trainWritesALoadableCheckpointAndItsLog(@TempDir Path dir) throws Exception {
        Path home = Path.of(System.getProperty("routelens.home")).toAbsolutePath().normalize();
        String config = """
                {"model": {"model_type": "mixtral", "vocab_size": 4096, "hidden_size": 16, "num_hidden_layers": 2,
                           "num_attention_heads": 2, "num_key_value_heads": 2, "intermediate_size": 16,
                           "num_local_experts": 4, "num_experts_per_tok": 2, "max_position_embeddings": 64},
                 "tokenizer_dir": "%s", "samples_dir": "%s",
                 "seq_length": 32, "batch_rows": 2, "steps": 3, "peak_lr": 0.001, "warmup_steps": 1,
                 "min_lr_ratio": 0.1, "seed": 1, "init_seed": 1, "checkpoint_every": 3, "eval_every": 0,
                 "eval_rows": 1, "aux_loss_coef": 0.02, "aux_loss_mode": "per_layer_mean", "grad_clip": 1.0,
                 "weight_decay": 0.1}
                """.formatted(home.resolve("model/nano"), home.resolve("samples/figure1"));
        Path file = Files.writeString(dir.resolve("tiny-train.json"), config);
        Path out = dir.resolve("run");
        CliRun run = CliRun.of("train", "--config", file.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.err() + run.out());
        assertTrue(run.out().contains("3 steps"), run.out());
        assertEquals(1 + 3, Files.readAllLines(out.resolve("train_log.csv")).size(), "a header and one row per step");
        CliRun probe = CliRun.of("probe", "--model", out.toString(), "--text", "trained here", "--out",
                dir.resolve("p.json").toString());
        assertEquals(0, probe.exit(), probe.err());
        assertEquals(2, new ObjectMapper().readTree(dir.resolve("p.json").toFile()).get("gate_logits").size());
    }
}
