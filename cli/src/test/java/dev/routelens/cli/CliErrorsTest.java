package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets one clear line naming the file or record; bad records never stop the run. */
class CliErrorsTest {

    @Test
    void missingCorpusFailsAtOnceNamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.jsonl");
        CliRun run = CliRun.of("figure1", "--samples", missing.toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, run.exit());
        String first = run.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("routelens: ") && first.contains(missing.toString()), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --debug");
        assertFalse(Files.exists(dir.resolve("o").resolve("expert_choice.csv")));
        CliRun debug = CliRun.of("--debug", "figure1", "--samples", missing.toString(), "--out", dir.resolve("o").toString());
        assertTrue(debug.err().contains("\tat "), "--debug prints the stack trace");
    }

    @Test
    void badRecordsGoToErrorsCsvAndTheRunContinues(@TempDir Path dir) throws Exception {
        StringBuilder good = new StringBuilder();
        String[] labels = {"mathematics", "physics"};
        String[] words = {"manifold curvature theorem bound lemma", "photon lattice plasma spin energy"};
        for (int c = 0; c < labels.length; c++) {
            for (int i = 0; i < 5; i++) {
                good.append(String.format("{\"id\":\"%s-%d\",\"label\":\"%s\",\"kind\":\"text\",\"text\":\"We study %s number %d.\"}%n",
                        labels[c], i, labels[c], words[c], i));
            }
        }
        good.append("{\"id\":\"m-1\",\"label\":\"molecules\",\"kind\":\"smiles\",\"text\":\"CCO\"}\n");
        good.append("{\"id\":\"m-2\",\"label\":\"molecules\",\"kind\":\"smiles\",\"text\":\"c1ccccc1O\"}\n");
        String bad = String.join("\n",
                "{\"id\":\"e1\",\"label\":\"physics\",\"kind\":\"text\",\"text\":\"\"}",
                "{\"id\":\"e2\",\"label\":\"physics\",\"kind\":\"text\",\"text\":\"   \"}",
                "{\"id\":\"e3\",\"label\":\"physics\",\"kind\":\"text\",\"text\":\"bell \\u0007 character\"}",
                "{\"id\":\"mathematics-0\",\"label\":\"physics\",\"kind\":\"text\",\"text\":\"a duplicate id\"}",
                "{\"id\":\"e5\",\"label\":\"molecules\",\"kind\":\"smiles\",\"text\":\"C1CC(\"}",
                "{\"id\":\"e6\",\"label\":\"proteins\",\"kind\":\"protein\",\"text\":\"MKV*9Q\"}",
                "{\"id\":\"e7\",\"label\":\"physics\",\"kind\":\"poem\",\"text\":\"roses\"}",
                "{not json") + "\n";
        Path file = dir.resolve("corpus.jsonl");
        byte[] invalidUtf8 = "{\"id\":\"e9\",\"label\":\"physics\",\"kind\":\"text\",\"text\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 5] = (byte) 0xC3;
        invalidUtf8[invalidUtf8.length - 4] = (byte) 0x28;
        Files.write(file, (good + bad).getBytes(StandardCharsets.UTF_8));
        Files.write(file, invalidUtf8, java.nio.file.StandardOpenOption.APPEND);
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("figure1", "--samples", file.toString(), "--out", out.toString(), "--iterations", "250");
        assertEquals(0, run.exit(), run.err());
        List<String> errors = Files.readAllLines(out.resolve("errors.csv"));
        assertEquals("file,line,id,reason", errors.get(0));
        String all = String.join("\n", errors);
        for (String id : List.of("e1", "e2", "e3", "mathematics-0", "e5", "e6", "e7")) {
            assertTrue(all.contains("," + id + ","), "errors.csv lacks " + id + ":\n" + all);
        }
        assertTrue(errors.size() >= 1 + 9, "9 bad records:\n" + all);
        List<String> choice = Files.readAllLines(out.resolve("expert_choice.csv"));
        assertEquals(1 + 12, choice.size(), "the 12 good records are analysed");
        JsonNode runJson = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertTrue(runJson.get("rejected").asInt() >= 9);
    }

    @Test
    void probeWritesTheContractKeys(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("p.json");
        CliRun run = CliRun.of("probe", "--text", "Mixture-of-experts routing in science.", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        int t = j.get("token_ids").size();
        assertEquals(t, j.get("tokens").size());
        assertEquals(26, j.get("gate_logits").size());
        assertEquals(t, j.get("gate_logits").get(0).size());
        assertEquals(8, j.get("gate_logits").get(0).get(0).size());
        assertEquals(2, j.get("topk_experts").get(25).get(t - 1).size());
        JsonNode w = j.get("topk_weights").get(3).get(0);
        assertEquals(1.0, w.get(0).asDouble() + w.get(1).asDouble(), 1e-5);
        assertTrue(j.get("nll").asDouble() > 0);
        assertEquals(1, j.get("token_ids").get(0).asInt(), "BOS first");
        JsonNode bos = j.get("bos");
        assertTrue(bos.get("added").asBoolean(), bos.toString());
        assertEquals(1, bos.get("id").asInt(), bos.toString());
        assertTrue(bos.get("source").asText().startsWith("tokenizer.model bos_id"), bos.toString());

        int expert = j.get("topk_experts").get(3).get(0).get(0).asInt();
        Path ablated = dir.resolve("a.json");
        CliRun ab = CliRun.of("probe", "--text", "Mixture-of-experts routing in science.", "--ablate", "3:" + expert,
                "--out", ablated.toString());
        assertEquals(0, ab.exit(), ab.err());
        JsonNode a = new ObjectMapper().readTree(ablated.toFile());
        for (JsonNode pair : a.get("topk_experts").get(3)) {
            assertFalse(pair.get(0).asInt() == expert || pair.get(1).asInt() == expert, "rerouted expert still chosen");
        }
        CliRun bad = CliRun.of("probe", "--text", "x", "--ablate", "99:0", "--out", ablated.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("layer 99"), bad.err());
        CliRun smiles = CliRun.of("probe", "--kind", "smiles", "--text", "C[C@@H](O)c1ccc(Cl)cc1", "--out", out.toString());
        assertEquals(0, smiles.exit(), smiles.err());
    }
}
