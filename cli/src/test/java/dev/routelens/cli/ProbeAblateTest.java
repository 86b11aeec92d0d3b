package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** probe --ablate, repeated: knock-outs at one layer compose in any order; bad specs and --r are refused before any load. */
class ProbeAblateTest {
    static final String TEXT = "Mixture-of-experts routing sends each token to a few experts chosen by a router.";

    private static CliRun probe(Path model, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("probe", "--text", TEXT, "--out", out.toString()));
        if (model != null) {
            args.addAll(List.of("--model", model.toString()));
        }
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** The experts in any token's top-k at {@code layer}. */
    private static List<Integer> chosen(JsonNode json, int layer) {
        List<Integer> experts = new ArrayList<>();
        for (JsonNode token : json.get("topk_experts").get(layer)) {
            token.forEach(e -> experts.add(e.asInt()));
        }
        return experts;
    }

    @Test
    void repeatedReroutesAtOneLayerComposeInEitherOrder(@TempDir Path dir) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        CliRun plain = probe(null, dir.resolve("plain.json"));
        assertEquals(0, plain.exit(), plain.err());
        List<Integer> before = chosen(mapper.readTree(dir.resolve("plain.json").toFile()), 1);
        assertTrue(before.contains(3) && before.contains(2), "experts 3 and 2 are chosen at layer 1 before: " + before);

        CliRun forward = probe(null, dir.resolve("32.json"), "--ablate", "1:3", "--ablate", "1:2");
        CliRun backward = probe(null, dir.resolve("23.json"), "--ablate", "1:2", "--ablate", "1:3");
        assertEquals(0, forward.exit(), forward.err());
        assertEquals(0, backward.exit(), backward.err());
        JsonNode json = mapper.readTree(dir.resolve("32.json").toFile());
        List<Integer> after = chosen(json, 1);
        assertFalse(after.contains(3) || after.contains(2), "a knocked-out expert is still chosen at layer 1: " + after);
        assertEquals(List.of("L1E2:reroute", "L1E3:reroute"), mapper.convertValue(json.get("ablations"), List.class));
        assertArrayEquals(Files.readAllBytes(dir.resolve("32.json")), Files.readAllBytes(dir.resolve("23.json")),
                "the order of --ablate changes nothing");
    }

    @Test
    void ablationsAndRAreRefusedBeforeAnyWeightLoads(@TempDir Path dir) throws IOException {
        Path weightless = TinyModels.weightless(dir.resolve("weightless"));
        Path out = dir.resolve("p.json");
        refused(probe(weightless, out, "--ablate", "1:0:top-r", "--r", "0"), "--r must be >= 1 (experts masked per token), got 0");
        refused(probe(weightless, out, "--ablate", "1:top-r", "--r", "-3"), "--r must be >= 1 (experts masked per token), got -3");
        refused(probe(weightless, out, "--ablate", "1:3", "--r", "2"), "--r applies to top-r ablations only");
        refused(probe(weightless, out, "--r", "1"), "--r applies to top-r ablations only");
        refused(probe(weightless, out, "--ablate", "3:5:top-r"), "--ablate: ablation '3:5:top-r': top-r takes no expert; write 3:top-r");
        refused(probe(weightless, out, "--ablate", "99:0"), "--ablate 99:0: ablation layer 99 but the model has 26 layers");
        refused(probe(weightless, out, "--ablate", "3:8"), "--ablate 3:8: ablation expert 8 but the model has 8 experts");
        refused(probe(weightless, out, "--ablate", "3:top-r", "--r", "7"), "top-r ablation with r=7 leaves fewer than k=2");
        refused(probe(weightless, out, "--ablate", "3:top-r", "--ablate", "3:4"),
                "--ablate: layer 3: top-r and reroute at one layer would depend on which masks first");
        List<String> seven = new ArrayList<>();
        for (int e = 0; e < 7; e++) {
            seven.addAll(List.of("--ablate", "3:" + e));
        }
        refused(probe(weightless, out, seven.toArray(String[]::new)),
                "--ablate: layer 3: rerouting 7 of 8 experts leaves 1, fewer than k=2");
        assertFalse(Files.exists(out), "nothing was written for a refused run");
        String loads = TinyModels.refusal(probe(weightless, out, "--ablate", "3:top-r", "--r", "2"));
        assertTrue(loads.contains("safetensors"), "a valid set gets as far as the (missing) weights: " + loads);
    }

    private static void refused(CliRun run, String expected) {
        String line = TinyModels.refusal(run);
        assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
        assertFalse(line.contains("safetensors"), "checked only after trying to load the weights: " + line);
    }
}
