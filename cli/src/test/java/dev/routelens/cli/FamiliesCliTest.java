package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * figure1, stats, ablate and probe with {@code --random-init} on two families beside Mixtral: an OLMoE-shaped
 * model with 16 layers of 64 experts (top-8; hidden width 16 so it is fast) and a Qwen2-MoE with a dense layer
 * 0 and a shared expert. E_T is MoE layers x experts wide with columns named by real layer; what a family lacks
 * (a router at a dense layer, a shared expert) is refused in one line naming it.
 */
class FamiliesCliTest {
    static final String OLMOE = """
            {"model_type": "olmoe", "vocab_size": 4096, "hidden_size": 16, "num_hidden_layers": 16,
             "num_attention_heads": 2, "num_key_value_heads": 1, "intermediate_size": 8, "num_experts": 64,
             "num_experts_per_tok": 8, "norm_topk_prob": false, "max_position_embeddings": 128,
             "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "clip_qkv": 8.0}
            """;
    static final String QWEN2_MOE = """
            {"model_type": "qwen2_moe", "vocab_size": 4096, "hidden_size": 16, "num_hidden_layers": 4,
             "num_attention_heads": 2, "num_key_value_heads": 1, "intermediate_size": 24,
             "moe_intermediate_size": 8, "shared_expert_intermediate_size": 12, "num_experts": 16,
             "num_experts_per_tok": 3, "norm_topk_prob": false, "mlp_only_layers": [0], "decoder_sparse_step": 1,
             "max_position_embeddings": 128, "rms_norm_eps": 1e-6, "rope_theta": 10000.0}
            """;
    static final String[] LABELS = {"mathematics", "physics", "chemistry"};

    @TempDir
    static Path shared;
    static Path olmoe;
    static Path qwen;
    static Path samples;

    @BeforeAll
    static void write() throws IOException {
        olmoe = Files.writeString(shared.resolve("olmoe.json"), OLMOE);
        qwen = Files.writeString(shared.resolve("qwen2_moe.json"), QWEN2_MOE);
        String[] words = {"manifold curvature theorem bound", "photon lattice plasma spin", "ligand solvent catalyst yield"};
        StringBuilder csv = new StringBuilder("id,label,kind,text\n");
        for (int c = 0; c < LABELS.length; c++) {
            for (int i = 0; i < 2; i++) {
                csv.append(LABELS[c]).append('-').append(i).append(',').append(LABELS[c]).append(",text,We study the ")
                        .append(words[c]).append(" of case ").append(i).append(".\n");
            }
        }
        samples = Files.writeString(shared.resolve("docs.csv"), csv);
    }

    /** A study command on {@code config} over the six small documents. */
    static CliRun study(Path config, String command, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--random-init", config.toString(), "--samples",
                samples.toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Stderr's first line, which must be the whole message. */
    static String refusal(CliRun run) {
        assertEquals(1, run.exit(), run.out() + run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        return run.err().lines().findFirst().orElse("");
    }

    static Set<String> column(Path csv, int index) throws IOException {
        Set<String> values = new TreeSet<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            values.add(line.split(",")[index]);
        }
        return values;
    }

    @Test
    void figure1WritesAnExpertChoiceOfMoeLayersTimesExperts(@TempDir Path dir) throws Exception {
        CliRun run = study(olmoe, "figure1", dir.resolve("olmoe"), "--method", "pca");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("E_T width 1024 (16 MoE layers x 64 experts)"), run.out());
        List<String> csv = Files.readAllLines(dir.resolve("olmoe/expert_choice.csv"));
        String[] header = csv.get(0).split(",");
        assertEquals(3 + 16 * 64, header.length);
        assertEquals(List.of("id", "label", "kind", "L0E0", "L0E1"), List.of(header).subList(0, 5));
        assertEquals("L15E63", header[header.length - 1]);
        assertEquals("L7E5", header[3 + 7 * 64 + 5]);
        assertEquals(1 + 6, csv.size());
        com.fasterxml.jackson.databind.JsonNode weights = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("olmoe/run.json").toFile()).get("weights");
        assertEquals("random_init", weights.get("source").asText(), "a random init is told apart from trained weights");
        assertEquals(0, weights.get("init_seed").asLong());
        assertEquals(3 + 16 * 64, csv.get(1).split(",").length);
        List<String> usage = Files.readAllLines(dir.resolve("olmoe/expert_usage.csv"));
        assertEquals(1 + 3 * 16 * 64, usage.size(), "three classes x 16 layers x 64 experts, long form");
        assertTrue(Files.size(dir.resolve("olmoe/expert_usage.png")) > 0);

        CliRun q = study(qwen, "figure1", dir.resolve("qwen"), "--method", "pca");
        assertEquals(0, q.exit(), q.err());
        String[] qHeader = Files.readAllLines(dir.resolve("qwen/expert_choice.csv")).get(0).split(",");
        assertEquals(3 + 3 * 16, qHeader.length);
        assertEquals("L1E0", qHeader[3]);
        assertEquals("L3E15", qHeader[qHeader.length - 1]);
        assertTrue(List.of(qHeader).stream().noneMatch(h -> h.startsWith("L0E")), "dense layer 0 has no columns");
        assertEquals(Set.of("1", "2", "3"), column(dir.resolve("qwen/expert_usage.csv"), 1), "heat-map rows are real layers");
    }

    @Test
    void statsCoverTheMoeLayersAndRefuseADenseLayer(@TempDir Path dir) throws Exception {
        CliRun q = study(qwen, "stats", dir.resolve("qwen"));
        assertEquals(0, q.exit(), q.err());
        Path metrics = dir.resolve("qwen/routing_metrics.csv");
        assertEquals(1 + 4 * 3, Files.readAllLines(metrics).size(), "three classes and the pooled row, MoE layers 1-3");
        assertEquals(Set.of("1", "2", "3"), column(metrics, 1));
        assertTrue(Files.size(dir.resolve("qwen/expert_share_layer3.png")) > 0, "default: the last MoE layer");
        assertTrue(Files.exists(dir.resolve("qwen/coactivation_layer3.png")));

        String dense = refusal(study(qwen, "stats", dir.resolve("dense"), "--layer", "0"));
        assertEquals("routelens: --layer 0 is a dense layer of this qwen2_moe model (no router); its MoE layers are 1, 2, 3",
                dense);
        assertFalse(Files.exists(dir.resolve("dense/routing_metrics.csv")), "refused before any work");

        CliRun o = study(olmoe, "stats", dir.resolve("olmoe"), "--layer", "7");
        assertEquals(0, o.exit(), o.err());
        assertEquals(1 + 4 * 16, Files.readAllLines(dir.resolve("olmoe/routing_metrics.csv")).size());
        assertEquals(11 + 64, Files.readAllLines(dir.resolve("olmoe/routing_metrics.csv")).get(0).split(",").length);
        assertTrue(Files.size(dir.resolve("olmoe/expert_share_layer7.png")) > 0);
    }

    @Test
    void ablateRunsEveryModeAndZeroesTheSharedExpert(@TempDir Path dir) throws Exception {
        String[][] modes = {
            {"--layer", "2", "--expert", "5", "--mode", "reroute"},
            {"--layer", "2", "--expert", "5", "--mode", "zero"},
            {"--layer", "2", "--mode", "top-r", "--r", "2"},
            {"--layer", "2", "--mode", "zero-shared"},
            {"--all-layers", "--mode", "zero-shared"},
        };
        String[] expert = {"5", "5", "top-2", "shared", "shared"};
        for (int i = 0; i < modes.length; i++) {
            Path out = dir.resolve("m" + i);
            CliRun run = study(qwen, "ablate", out, modes[i]);
            assertEquals(0, run.exit(), String.join(" ", modes[i]) + ": " + run.err());
            List<String> rows = Files.readAllLines(out.resolve("ablation.csv"));
            assertEquals(1 + 4, rows.size(), "three classes and the pooled row");
            String[] pooled = rows.get(4).split(",");
            assertEquals(List.of("(all)", i == 4 ? "all" : "2", expert[i]), List.of(pooled).subList(0, 3));
            assertTrue(Double.parseDouble(pooled[6]) != 0.0, modes[i][modes[i].length - 1] + " moves the NLL: " + rows.get(4));
            Set<String> at = column(out.resolve("routing_shift.csv"), 4);
            assertEquals(i == 4 ? Set.of("1", "2", "3") : Set.of("2", "3"), at, "routing shift at the real MoE layers");
        }
        Path sweep = dir.resolve("sweep");
        CliRun all = study(qwen, "ablate", sweep, "--sweep", "--mode", "zero-shared");
        assertEquals(0, all.exit(), all.err());
        assertEquals(Set.of("1", "2", "3"), column(sweep.resolve("ablation.csv"), 1));
        assertEquals(Set.of("1", "2", "3"), column(sweep.resolve("ablation_delta.csv"), 1), "heat-map rows are real layers");

        assertEquals("routelens: ablation layer 0 is a dense layer of this qwen2_moe model (no router, no experts); "
                + "its MoE layers are 1, 2, 3", refusal(study(qwen, "ablate", dir.resolve("d"), "--layer", "0", "--expert", "1")));
        assertEquals("routelens: zero-shared ablation: this olmoe model has no shared expert "
                + "(only Qwen2-MoE's shared_expert_intermediate_size gives one)",
                refusal(study(olmoe, "ablate", dir.resolve("s"), "--layer", "3", "--mode", "zero-shared")));
        assertTrue(refusal(study(olmoe, "ablate", dir.resolve("s2"), "--sweep", "--mode", "zero-shared"))
                .contains("olmoe model has no shared expert"));
        assertEquals("routelens: --mode zero needs --expert",
                refusal(study(qwen, "ablate", dir.resolve("e"), "--layer", "2", "--mode", "zero")));
        assertEquals("routelens: --all-layers applies to --mode zero-shared only; use --sweep for reroute",
                refusal(study(qwen, "ablate", dir.resolve("a"), "--all-layers")));
        assertTrue(CliRun.of("ablate", "--help").out().contains("zero-shared"), "the help names the mode");

        Path o = dir.resolve("olmoe");
        CliRun olmoeRun = study(olmoe, "ablate", o, "--layer", "15", "--expert", "63", "--mode", "reroute");
        assertEquals(0, olmoeRun.exit(), olmoeRun.err());
        assertEquals("(all),15,63,reroute", String.join(",",
                List.of(Files.readAllLines(o.resolve("ablation.csv")).get(4).split(",")).subList(0, 4)));
    }

    @Test
    void probeWritesEveryLayerAndNullForADenseOne(@TempDir Path dir) throws Exception {
        Path o = dir.resolve("o.json");
        CliRun run = CliRun.of("probe", "--random-init", olmoe.toString(), "--text", "routing in science", "--out", o.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode oj = new ObjectMapper().readTree(o.toFile());
        assertEquals(16, oj.get("gate_logits").size());
        assertEquals(64, oj.get("gate_logits").get(15).get(0).size());
        assertEquals(8, oj.get("topk_experts").get(15).get(0).size());

        Path q = dir.resolve("q.json");
        CliRun qr = CliRun.of("probe", "--random-init", qwen.toString(), "--text", "routing in science",
                "--ablate", "2:zero-shared", "--out", q.toString());
        assertEquals(0, qr.exit(), qr.err());
        JsonNode qj = new ObjectMapper().readTree(q.toFile());
        assertEquals(4, qj.get("gate_logits").size(), "indexed by real layer");
        assertTrue(qj.get("gate_logits").get(0).isNull() && qj.get("topk_experts").get(0).isNull()
                && qj.get("topk_weights").get(0).isNull(), "dense layer 0 has no router");
        assertEquals(16, qj.get("gate_logits").get(1).get(0).size());
        assertEquals(3, qj.get("topk_experts").get(3).get(0).size());
        assertEquals("L2:zero-shared", qj.get("ablations").get(0).asText());

        String dense = refusal(CliRun.of("probe", "--random-init", qwen.toString(), "--text", "x", "--ablate", "0:1",
                "--out", dir.resolve("d.json").toString()));
        assertTrue(dense.contains("ablation layer 0 is a dense layer") && dense.contains("1, 2, 3"), dense);
    }

    @Test
    void trainRefusesAnotherFamilyInOneLine(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("train.json"), "{\"model\": " + OLMOE + ", \"steps\": 1}");
        String line = refusal(CliRun.of("train", "--config", config.toString(), "--out", dir.resolve("run").toString()));
        assertTrue(line.endsWith("train: model_type olmoe is not supported for training (Mixtral/SciDFM only)"), line);
    }
}
