package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * probe lists the parts of a bracket atom that went through the fallback (issue 20) as tokens of their own. The
 * model is nano's weights under model/nano-v2-tokenizer: the same 4096 ids, so it runs, though the weights were
 * trained on the old vocabulary (only the tokens are checked, not what the model makes of them).
 */
class ProbeBracketAtomFallbackTest {

    @Test
    void theSplitPiecesAreTokensInProbesJson(@TempDir Path dir) throws IOException {
        Path home = Path.of(System.getProperty("routelens.home")).toAbsolutePath().normalize();
        Path model = Files.createDirectory(dir.resolve("nano-v2"));
        for (String file : List.of("config.json", "model.safetensors")) {
            Files.copy(home.resolve("model/nano").resolve(file), model.resolve(file));
        }
        for (String file : List.of("tokenizer.model", "routelens_tokenizer.json")) {
            Files.copy(home.resolve("model/nano-v2-tokenizer").resolve(file), model.resolve(file));
        }
        Path out = dir.resolve("p.json");
        CliRun run = CliRun.of("probe", "--model", model.toString(), "--kind", "smiles", "--text", "C[13CH2-]O",
                "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        List<String> tokens = new ArrayList<>();
        new ObjectMapper().readTree(out.toFile()).get("tokens").forEach(t -> tokens.add(t.asText()));
        assertEquals(List.of("<s>", "[START_I_SMILES]", "⟨C⟩", "⟨^13⟩", "⟨[C]⟩", "⟨H2⟩", "⟨-1⟩", "⟨O⟩",
                "[END_I_SMILES]"), tokens);

        CliRun strict = CliRun.of("probe", "--kind", "smiles", "--text", "C[13CH2-]O", "--out", out.toString());
        assertEquals(1, strict.exit());
        assertTrue(strict.err().contains("'[13CH2-]'") && strict.err().contains("bracket_atom_fallback"), strict.err());
    }
}
