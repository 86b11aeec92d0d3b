package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScienceVocabularyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void defaultsAreGalacticaMarkersAndBareSymbols() {
        ScienceVocabulary v = ScienceVocabulary.DEFAULT;
        assertEquals("[START_I_SMILES]", v.smilesStart());
        assertEquals("[END_AMINO]", v.proteinEnd());
        assertEquals("Cl", v.smilesPiece("Cl"));
        assertEquals("M", v.proteinPiece('M'));
        assertEquals("Cl", v.unwrap("Cl"));
    }

    @Test
    void formatsWrapAndUnwrap() {
        ScienceVocabulary v = new ScienceVocabulary("<m>", "</m>", "<p>", "</p>", "⟨%s⟩", "⟪%s⟫");
        assertEquals("⟨[C@@H]⟩", v.smilesPiece("[C@@H]"));
        assertEquals("⟪W⟫", v.proteinPiece('W'));
        assertEquals("[C@@H]", v.unwrap("⟨[C@@H]⟩"));
        assertEquals("W", v.unwrap("⟪W⟫"));
        assertEquals("▁the", v.unwrap("▁the"));
        assertEquals("⟨⟩", v.unwrap("⟨⟩"));
    }

    @Test
    void partialJsonTakesDefaultsAndRoundTrips() throws IOException {
        ScienceVocabulary v = ScienceVocabulary.fromJson(JSON.readTree("{\"smiles_piece_format\": \"<%s>\"}"));
        assertEquals("<%s>", v.smilesPieceFormat());
        assertEquals("[START_AMINO]", v.proteinStart());
        assertEquals(v, ScienceVocabulary.fromJson(v.toJson()));
    }

    @Test
    void refusesBadFormatsAndUnknownKeys() throws IOException {
        for (String format : new String[] {"x", "%s%s", "%d%s", "%s %%", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ScienceVocabulary("a", "b", "c", "d", format, "%s"));
            assertTrue(e.getMessage().contains("smiles_piece_format"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new ScienceVocabulary(" ", "b", "c", "d", "%s", "%s"));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> ScienceVocabulary.fromJson(JSON.readTree("{\"smiles_begin\": \"[S]\"}")));
        assertTrue(typo.getMessage().contains("smiles_begin"), typo.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ScienceVocabulary.fromJson(JSON.readTree("{\"smiles_start\": 3}")));
    }

    @Test
    void readsFileOrDefaults(@TempDir Path dir) throws IOException {
        assertSame(ScienceVocabulary.DEFAULT, ScienceVocabulary.read(dir));
        Files.writeString(dir.resolve(ScienceVocabulary.FILE_NAME), "{\"protein_piece_format\": \"%s!\"}");
        assertEquals("A!", ScienceVocabulary.read(dir).proteinPiece('A'));
        Files.writeString(dir.resolve(ScienceVocabulary.FILE_NAME), "{\"protein_piece_format\": \"%d\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScienceVocabulary.read(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(ScienceVocabulary.FILE_NAME).toString()), e.getMessage());
        Files.writeString(dir.resolve(ScienceVocabulary.FILE_NAME), "{not json");
        IOException bad = assertThrows(IOException.class, () -> ScienceVocabulary.read(dir));
        assertTrue(bad.getMessage().contains(ScienceVocabulary.FILE_NAME), bad.getMessage());
    }

    @Test
    void nanoUsesBracketedPieces() throws IOException {
        ScienceVocabulary nano = ScienceVocabulary.read(TestPaths.nano());
        assertEquals("⟨Cl⟩", nano.smilesPiece("Cl"));
        assertEquals("⟪K⟫", nano.proteinPiece('K'));
        assertEquals(ScienceVocabulary.DEFAULT.smilesStart(), nano.smilesStart());
    }
}
