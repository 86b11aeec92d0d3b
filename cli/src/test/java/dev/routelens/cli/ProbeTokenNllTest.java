package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * probe's per-token NLL, the baseline beside an ablated run, --out - and --input over a sample file, on the
 * embedded SciDFM-nano; and that the text a --kind protein check passes is the text encoded.
 */
class ProbeTokenNllTest {
    static final String TEXT = "Mixture-of-experts routing sends each token to a few experts chosen by a router.";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode probe(Path out, String... more) throws IOException {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("probe", "--text", TEXT, "--out", out.toString()));
        all.addAll(java.util.List.of(more));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        return MAPPER.readTree(out.toFile());
    }

    /**
     * The JSON carries each per-token value as float32's shortest decimal, which read back as a double is off by
     * up to half a float32 ulp; the sum of those is within this of the NLL. In memory the two agree to 1e-9
     * (ProbeRun.Document refuses more).
     */
    static final double JSON_FLOAT = 1e-6;

    /** Sum of the per-token values, with the first token's null checked. */
    private static double sum(JsonNode tokenNll) {
        assertTrue(tokenNll.get(0).isNull(), "the first token predicts nothing: " + tokenNll.get(0));
        double s = 0;
        for (int p = 1; p < tokenNll.size(); p++) {
            assertTrue(tokenNll.get(p).asDouble() >= 0, "an NLL is never negative: " + tokenNll.get(p));
            s += tokenNll.get(p).asDouble();
        }
        return s;
    }

    @Test
    void perTokenNllSumsToTheDocumentNllAndTheBaselineIsTheUnablatedRun(@TempDir Path dir) throws IOException {
        JsonNode plain = probe(dir.resolve("plain.json"));
        int tokens = plain.get("tokens").size();
        assertEquals(tokens, plain.get("token_nll").size(), "one value a token");
        assertEquals(plain.get("nll").asDouble(), sum(plain.get("token_nll")) / (tokens - 1), JSON_FLOAT,
                "the per-token values sum to the document NLL");
        assertFalse(plain.has("baseline_nll"), "no knock-outs, no baseline");

        JsonNode ablated = probe(dir.resolve("ablated.json"), "--ablate", "1:3", "--ablate", "1:2");
        assertEquals(ablated.get("nll").asDouble(), sum(ablated.get("token_nll")) / (tokens - 1), JSON_FLOAT);
        assertEquals(plain.get("nll").asDouble(), ablated.get("baseline_nll").asDouble(), 0.0,
                "the baseline is the unablated run");
        assertEquals(plain.get("token_nll"), ablated.get("baseline_token_nll"), "per token too");
        assertNotEquals(ablated.get("nll").asDouble(), ablated.get("baseline_nll").asDouble(),
                "rerouting two experts that are chosen changes the NLL");
    }

    @Test
    void aStreamedProbeRunsTheBaselineInTheSamePassAndAgrees(@TempDir Path dir) throws IOException {
        JsonNode memory = probe(dir.resolve("memory.json"), "--ablate", "1:3");
        JsonNode streamed = probe(dir.resolve("streamed.json"), "--ablate", "1:3", "--stream");
        for (String key : java.util.List.of("nll", "baseline_nll")) {
            assertEquals(memory.get(key).asDouble(), streamed.get(key).asDouble(), 1e-5, key);
        }
        assertEquals(streamed.get("nll").asDouble(), sum(streamed.get("token_nll")) / (streamed.get("tokens").size() - 1),
                JSON_FLOAT);
        assertTrue(streamed.has("stream"), "the stream record is written");
    }

    @Test
    void outDashWritesTheJsonToStdoutAndTheSummaryToStderr(@TempDir Path dir) throws IOException {
        JsonNode file = probe(dir.resolve("p.json"));
        CliRun run = CliRun.of("probe", "--text", TEXT, "--out", "-");
        assertEquals(0, run.exit(), run.err());
        JsonNode json = MAPPER.readTree(run.out());
        assertEquals(file, json, "the same JSON as --out FILE");
        assertTrue(run.err().contains("probe: ") && run.err().contains("-> stdout"), run.err());
        assertFalse(Files.exists(Path.of("-")), "no file named -");
    }

    @Test
    void aSampleFileIsProbedRecordByRecordWithItsRejectedRecordsListed(@TempDir Path dir) throws IOException {
        Path samples = Files.writeString(dir.resolve("docs.jsonl"), String.join("\n",
                "{\"id\":\"p1\",\"label\":\"physics\",\"text\":\"" + TEXT + "\"}",
                "{\"id\":\"m1\",\"label\":\"molecules\",\"kind\":\"smiles\",\"text\":\"CCO\"}",
                "{\"id\":\"bad\",\"label\":\"molecules\",\"kind\":\"smiles\",\"text\":\"C1CC(\"}",
                "{\"id\":\"pr1\",\"label\":\"proteins\",\"kind\":\"protein\",\"text\":\"mkvlaagiv\"}") + "\n");
        Path out = dir.resolve("many.json");
        CliRun run = CliRun.of("probe", "--input", samples.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("1 record(s) of --input " + samples + " left out"), run.err());
        JsonNode json = MAPPER.readTree(out.toFile());
        JsonNode docs = json.get("documents");
        assertEquals(3, docs.size(), json.toString());
        assertEquals("p1", docs.get(0).get("id").asText());
        assertEquals("smiles", docs.get(1).get("kind").asText());
        assertEquals("protein", docs.get(2).get("kind").asText());
        assertEquals("bad", json.get("errors").get(0).get("id").asText());
        JsonNode one = probe(dir.resolve("one.json"));
        assertEquals(one.get("token_ids"), docs.get(0).get("token_ids"));
        assertEquals(one.get("nll").asDouble(), docs.get(0).get("nll").asDouble(), 1e-4,
                "a record's NLL is the one-document probe's (batched beside others: float32 rounding apart)");
        for (JsonNode d : docs) {
            int n = d.get("tokens").size();
            if (n > 1) {
                assertEquals(d.get("nll").asDouble(), sum(d.get("token_nll")) / (n - 1), JSON_FLOAT, d.get("id").asText());
            }
        }
        CliRun kind = CliRun.of("probe", "--input", samples.toString(), "--kind", "smiles", "--out", out.toString());
        assertEquals(1, kind.exit());
        assertTrue(kind.err().contains("--kind applies to --text and one-document files"), kind.err());
    }

    @Test
    void aLowerCaseProteinIsCheckedAndEncodedAsTheSampleReadersDo(@TempDir Path dir) throws IOException {
        Path lower = dir.resolve("lower.json");
        CliRun run = CliRun.of("probe", "--kind", "protein", "--text", "mkv laag iv", "--out", lower.toString());
        assertEquals(0, run.exit(), "the check passed it, so the tokenizer must read it: " + run.err());
        Path upper = dir.resolve("upper.json");
        CliRun same = CliRun.of("probe", "--kind", "protein", "--text", "MKVLAAGIV", "--out", upper.toString());
        assertEquals(0, same.exit(), same.err());
        assertEquals(MAPPER.readTree(upper.toFile()).get("token_ids"), MAPPER.readTree(lower.toFile()).get("token_ids"));
    }
}
