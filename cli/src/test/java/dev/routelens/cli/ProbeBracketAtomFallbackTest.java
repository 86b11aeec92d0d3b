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
 * probe lists the parts of a bracket atom that went through the fallback (issue 20) as tokens of their own, on the
 * embedded SciDFM-nano, which opts in; a model whose routelens_tokenizer.json does not opt in refuses the atom by name.
 */
class ProbeBracketAtomFallbackTest {

    @Test
    void theSplitPiecesAreTokensInProbesJson(@TempDir Path dir) throws IOException {
        Path home = Path.of(System.getProperty("routelens.home")).toAbsolutePath().normalize();
        Path strictModel = Files.createDirectory(dir.resolve("strict"));
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.model")) {
            Files.copy(home.resolve("model/nano").resolve(file), strictModel.resolve(file));
        }
        String json = Files.readString(home.resolve("model/nano/routelens_tokenizer.json"));
        assertTrue(json.contains("\"bracket_atom_fallback\": true"), "the embedded nano opts in: " + json);
        Files.writeString(strictModel.resolve("routelens_tokenizer.json"),
                json.replace("\"bracket_atom_fallback\": true", "\"bracket_atom_fallback\": false"));
        Path out = dir.resolve("p.json");
        CliRun run = CliRun.of("probe", "--kind", "smiles", "--text", "C[13CH2-]O",
                "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        List<String> tokens = new ArrayList<>();
        new ObjectMapper().readTree(out.toFile()).get("tokens").forEach(t -> tokens.add(t.asText()));
        assertEquals(List.of("<s>", "[START_I_SMILES]", "⟨C⟩", "⟨^13⟩", "⟨[C]⟩", "⟨H2⟩", "⟨-1⟩", "⟨O⟩",
                "[END_I_SMILES]"), tokens);

        CliRun strict = CliRun.of("probe", "--model", strictModel.toString(), "--kind", "smiles", "--text", "C[13CH2-]O", "--out", out.toString());
        assertEquals(1, strict.exit());
        assertTrue(strict.err().contains("'[13CH2-]'") && strict.err().contains("bracket_atom_fallback"), strict.err());
    }
}
