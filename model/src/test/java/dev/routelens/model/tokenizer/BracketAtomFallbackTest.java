package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.core.InputKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opt-in split of a bracket atom the vocabulary lacks (issue 20), its config key and its refusals. */
class BracketAtomFallbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScienceVocabulary STRICT = new ScienceVocabulary("[S]", "[/S]", "[P]", "[/P]", "<%s>", "%s");
    private static final ScienceVocabulary FALLBACK = STRICT.withBracketAtomFallback(true);

    /** A vocabulary of the markers and {@code pieces}, each as {@code <piece>}, ids in order from 0. */
    private static Map<String, Integer> ids(String... pieces) {
        Map<String, Integer> ids = new HashMap<>(Map.of("[S]", 100, "[/S]", 101, "[P]", 102, "[/P]", 103));
        for (int i = 0; i < pieces.length; i++) {
            ids.put("<" + pieces[i] + ">", i);
        }
        return ids;
    }

    private static final Map<String, Integer> PARTS = ids("C", "[C]", "[N]", "[Fe]", "[c]", "[H]", "H", "H2", "H3",
            "+1", "-1", "+2", "^13", "^2", "@", "@@", "(", ")", "=", "O");

    private static List<String> pieces(ScienceEncoder encoder, String smiles) {
        Map<Integer, String> byId = new HashMap<>();
        PARTS.forEach((piece, id) -> byId.put(id, FALLBACK.unwrap(piece)));
        int[] ids = encoder.encodeSmiles(smiles);
        return Arrays.stream(ids, 1, ids.length - 1).mapToObj(byId::get).toList();
    }

    @Test
    void splitsIntoDocumentedParts() {
        assertEquals(List.of("[C]", "H"), parts("[CH]"));
        assertEquals(List.of("[N]", "H3", "+1"), parts("[NH3+]"));
        assertEquals(List.of("^13", "[C]", "H3"), parts("[13CH3]"));
        assertEquals(List.of("[Fe]", "+2"), parts("[Fe+2]"));
        assertEquals(List.of("[Fe]", "+2"), parts("[Fe++]"));
        assertEquals(List.of("[C]", "@@", "H"), parts("[C@@H]"));
        assertEquals(List.of("[c]", "H", "-1"), parts("[cH-]"));
        assertEquals(List.of("[se]"), parts("[se]"));
        assertEquals(List.of("^2", "[H]"), parts("[2H]"));
        assertEquals(List.of("[Co]", "-3"), parts("[Co---]"));
        assertEquals(List.of("[C]", "H4"), parts("[CH4]"));
        assertEquals(List.of("[N]"), parts("[NH0+0]"));
        assertEquals(List.of("[*]", ":1"), parts("[*:1]"));
        assertEquals(List.of("[Sb]", "H6", "+3"), parts("[SbH6+3]"));
    }

    private static List<String> parts(String token) {
        return BracketAtom.parse(token).orElseThrow(() -> new AssertionError(token + " did not parse")).parts();
    }

    @Test
    void refusesWhatIsNoBracketAtom() {
        for (String token : List.of("C", "[C", "[]", "[13]", "[Xx]", "[Q]", "[CH+-]", "[C@X]", "[cl]", "[CH10]")) {
            assertEquals(Optional.empty(), BracketAtom.parse(token), token);
        }
    }

    @Test
    void everyElementParsesToItself() {
        for (String element : BracketAtom.ELEMENTS) {
            assertEquals(List.of("[" + element + "]"), parts("[" + element + "]"), element);
        }
        for (String aromatic : BracketAtom.AROMATIC) {
            assertEquals(List.of("[" + aromatic + "]", "H"), parts("[" + aromatic + "H]"), aromatic);
        }
    }

    @Test
    void encodesMissingBracketAtomsAsTheirPartsAndKnownOnesWhole() {
        ScienceEncoder encoder = new ScienceEncoder(FALLBACK, PARTS, BosPolicy.none("test"), "test.model");
        assertEquals(List.of("C", "[C]", "H", "=", "O"), pieces(encoder, "C[CH]=O"));
        assertEquals(List.of("^13", "[C]", "H3", "[N]", "H3", "+1"), pieces(encoder, "[13CH3][NH3+]"));
        assertEquals(List.of("[Fe]", "+2", "[Fe]", "+2"), pieces(encoder, "[Fe+2][Fe++]"));
        // a bracket atom the vocabulary has is one piece, even with the fallback on
        assertEquals(List.of("[C]", "[c]"), pieces(encoder, "[C][c]"));
        // deterministic: the same ids every time
        assertArrayEquals(encoder.encodeSmiles("[13CH3][C@@H]"), encoder.encodeSmiles("[13CH3][C@@H]"));
    }

    @Test
    void withoutTheOptInAMissingAtomIsRefusedInOneLine() {
        ScienceEncoder encoder = new ScienceEncoder(STRICT, PARTS, BosPolicy.none("test"), "test.model");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.encodeSmiles("C[CH]=O"));
        String m = e.getMessage();
        assertEquals("SMILES 'C[CH]=O': atom token '[CH]' (piece '<[CH]>') is not in the vocabulary of test.model,"
                + " and its routelens_tokenizer.json does not set bracket_atom_fallback"
                + " (see model/nano/README-tokenizer.md)", m);
        assertFalse(m.contains("\n"));
    }

    @Test
    void aMissingPartOrAnUnsplittableAtomIsStillRefusedByName() {
        ScienceEncoder encoder = new ScienceEncoder(FALLBACK, PARTS, BosPolicy.none("test"), "test.model");
        IllegalArgumentException part = assertThrows(IllegalArgumentException.class, () -> encoder.encodeSmiles("[14CH4]"));
        assertTrue(part.getMessage().contains("atom token '[14CH4]'") && part.getMessage().contains("part '^14'")
                && part.getMessage().contains("[^14, [C], H4]") && !part.getMessage().contains("\n"), part.getMessage());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> encoder.encodeSmiles("C[Xx]"));
        assertTrue(odd.getMessage().contains("'[Xx]'") && odd.getMessage().contains("no OpenSMILES bracket atom"),
                odd.getMessage());
        // a missing token outside brackets is never split
        IllegalArgumentException ring = assertThrows(IllegalArgumentException.class, () -> encoder.encodeSmiles("C%10"));
        assertTrue(ring.getMessage().contains("'%10'") && !ring.getMessage().contains("bracket_atom_fallback"),
                ring.getMessage());
    }

    @Test
    void theConfigKeyIsABooleanAbsentMeaningOff(@TempDir Path dir) throws IOException {
        assertFalse(ScienceVocabulary.DEFAULT.bracketAtomFallback());
        assertFalse(ScienceVocabulary.fromJson(JSON.readTree("{}")).bracketAtomFallback());
        assertTrue(ScienceVocabulary.fromJson(JSON.readTree("{\"bracket_atom_fallback\": true}")).bracketAtomFallback());
        assertFalse(ScienceVocabulary.fromJson(JSON.readTree("{\"bracket_atom_fallback\": false}")).bracketAtomFallback());
        assertEquals(FALLBACK, ScienceVocabulary.fromJson(FALLBACK.toJson()));
        assertEquals(STRICT, ScienceVocabulary.fromJson(STRICT.toJson()));
        for (String bad : List.of("\"true\"", "1", "null", "\"yes\"", "[]")) {
            Files.writeString(dir.resolve(ScienceVocabulary.FILE_NAME), "{\"bracket_atom_fallback\": " + bad + "}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScienceVocabulary.read(dir));
            assertTrue(e.getMessage().contains(ScienceVocabulary.FILE_NAME)
                    && e.getMessage().contains("bracket_atom_fallback must be true or false"), e.getMessage());
        }
    }

    @Test
    void theNanoOptsInKeeps4096IdsAndHasEveryElementPart() throws IOException {
        try (SentencePieceTokenizer v2 = SentencePieceTokenizer.load(TestPaths.nano())) {
            assertTrue(v2.scienceVocabulary().bracketAtomFallback());
            assertEquals(4096, v2.vocabSize());
            List<String> tokens = new ArrayList<>();
            for (int id = 0; id < v2.vocabSize(); id++) {
                tokens.add(v2.token(id));
            }
            TreeSet<String> all = new TreeSet<>(tokens);
            ScienceVocabulary sv = v2.scienceVocabulary();
            for (String element : BracketAtom.ELEMENTS) {
                assertTrue(all.contains(sv.smilesPiece("[" + element + "]")), element);
            }
            for (String part : List.of("H", "H2", "H9", "+1", "-8", "@", "@@", "^13", "%10", "%99")) {
                assertTrue(all.contains(sv.smilesPiece(part)), part);
            }
            // the molecules the issue saw refused: [CH] and [I] are now whole pieces
            assertEquals(5, v2.encode("C[CH]C", InputKind.SMILES).length - 1);
            // an atom in no inventory goes through the fallback, and its parts are tokens probe lists
            int[] ids = v2.encode("[13CH2-]", InputKind.SMILES);
            List<String> shown = Arrays.stream(ids).mapToObj(v2::token).toList();
            assertEquals(List.of("<s>", "[START_I_SMILES]", "⟨^13⟩", "⟨[C]⟩", "⟨H2⟩", "⟨-1⟩", "[END_I_SMILES]"), shown);
        }
    }

    @Test
    void everyCorpusBracketAtomEncodesWithTheNano() throws IOException {
        List<String> rows = Files.readAllLines(TestPaths.corpusFile("molecules.tsv"));
        TreeSet<String> brackets = new TreeSet<>();
        for (String row : rows.subList(1, rows.size())) {
            for (String token : SmilesSplitter.split(row.split("\t", 2)[0])) {
                if (token.startsWith("[")) {
                    brackets.add(token);
                }
            }
        }
        assertTrue(brackets.size() > 50, "only " + brackets.size() + " bracket atoms in the corpus");
        for (Path dir : List.of(TestPaths.nano())) {
            try (Tokenizer tokenizer = Tokenizer.load(dir)) {
                List<String> refused = new ArrayList<>();
                for (String atom : brackets) {
                    try {
                        tokenizer.encode("C" + atom + "C", InputKind.SMILES);
                    } catch (IllegalArgumentException e) {
                        refused.add(atom);
                    }
                }
                assertEquals(List.of(), refused, dir + " refuses corpus bracket atoms");
            }
        }
    }
}
