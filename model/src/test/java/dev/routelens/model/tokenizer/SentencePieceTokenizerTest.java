package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentencePieceTokenizerTest {
    private static SentencePieceTokenizer nano;

    @BeforeAll
    static void load() throws IOException {
        nano = assertInstanceOf(SentencePieceTokenizer.class, Tokenizer.load(TestPaths.nano()));
    }

    @AfterAll
    static void close() {
        nano.close();
    }

    private static List<String> tokens(Tokenizer tokenizer, int[] ids) {
        return Arrays.stream(ids).mapToObj(tokenizer::token).toList();
    }

    @Test
    void nanoLayout() {
        assertEquals(4096, nano.vocabSize());
        assertEquals(nano.pieceCount(), nano.vocabSize());
        assertEquals("<s>", nano.token(nano.bosId().orElseThrow()));
        assertTrue(nano.addsBos());
        assertEquals("adds '<s>' (id 1): tokenizer.model bos_id; LlamaTokenizer's default add_bos_token=true"
                + " (tokenizer_config.json sets none)", nano.bosConvention());
        assertEquals("</s>", nano.token(nano.eosId()));
        assertEquals("[PAD]", nano.token(nano.padId()));
    }

    @Test
    void proseRoundTripsIncludingFourByteUtf8() {
        String[] texts = {
            "", "Hello world.", "The Clause of Brown v. Board", "  two leading, two trailing  ",
            "tabs\tand\nnewlines\r\n", "café naïve Ångström Æsir œuvre", "𝔽 is a field; 𝔽_p has p elements",
            "emoji 🙂🧬 and flags 🇫🇷", "日本語のテキスト", "NUL\u0000inside", "x²+y² ≤ 1, α→β, ∑ᵢ",
        };
        for (String text : texts) {
            int[] ids = nano.encode(text, InputKind.TEXT);
            assertEquals(nano.bosId().orElseThrow(), ids[0], text);
            assertTrue(Arrays.stream(ids).allMatch(id -> id >= 0 && id < nano.vocabSize()), text);
            assertEquals(text, nano.decode(ids), "round trip of '" + text + "'");
        }
    }

    @Test
    void unseenCharactersFallBackToTheirUtf8Bytes() {
        // 𝔽 (U+1D53D) is not a piece of the nano vocabulary: it must become its four UTF-8 bytes.
        String text = "\uD835\uDD3D";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>();
        for (byte b : utf8) {
            expected.add(String.format("<0x%02X>", b & 0xff));
        }
        assertEquals(4, expected.size());
        assertEquals(expected, nano.pieces(text));
    }

    @Test
    void randomTextRoundTrips() {
        int[] pool = "abcXYZ019 .,;()[]-\t\néüßÆ€∑αβ日本🙂𝔽🧬\u0000".codePoints().toArray();
        Random random = new Random(20240927);
        for (int trial = 0; trial < 300; trial++) {
            String text = IntStream.range(0, random.nextInt(40))
                    .map(i -> pool[random.nextInt(pool.length)])
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();
            assertEquals(text, nano.decode(nano.encode(text, InputKind.TEXT)), "round trip of '" + text + "'");
        }
    }

    @Test
    void concatenatedDocumentsDecodeToConcatenatedText() {
        int[] a = nano.encode("first doc", InputKind.TEXT);
        int[] b = nano.encode(" second doc", InputKind.TEXT);
        int[] both = IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
        assertEquals("first doc second doc", nano.decode(both));
        assertEquals("first doc", nano.decode(IntStream.concat(Arrays.stream(a), IntStream.of(nano.eosId()))
                .toArray()));
    }

    @Test
    void proseNeverProducesAtomOrAminoPieces() {
        Set<String> science = IntStream.range(0, nano.pieceCount())
                .mapToObj(nano::token)
                .filter(piece -> piece.startsWith("⟨") || piece.startsWith("⟪"))
                .collect(Collectors.toSet());
        assertTrue(science.contains("⟨Cl⟩") && science.contains("⟨Br⟩") && science.contains("⟪C⟫"));
        String prose = "Clause 3 of the Brown report: Clearly, Bromine and Chlorine (Cl, Br) in NaCl; CO2 and HBr.";
        List<String> pieces = nano.pieces(prose);
        assertFalse(pieces.stream().anyMatch(science::contains), pieces.toString());
        assertEquals(prose, nano.decode(nano.encode(prose, InputKind.TEXT)));
    }

    @Test
    void smilesGivesOneIdPerAtomTokenWithMarkers() {
        int[] ids = nano.encode("C[C@@H](O)c1ccc(Cl)cc1Br", InputKind.SMILES);
        List<String> atoms = List.of("C", "[C@@H]", "(", "O", ")", "c", "1", "c", "c", "c", "(", "Cl", ")",
                "c", "c", "1", "Br");
        List<String> expected = new ArrayList<>(List.of("<s>", "[START_I_SMILES]"));
        atoms.forEach(atom -> expected.add("⟨" + atom + "⟩"));
        expected.add("[END_I_SMILES]");
        assertEquals(expected, tokens(nano, ids));
        assertEquals(atoms.size() + 3, ids.length);
        // Same atom, same id; different atoms, different ids.
        assertEquals(new HashSet<>(atoms).size(),
                Arrays.stream(ids, 2, ids.length - 1).distinct().count());
        assertEquals(ids[2 + atoms.indexOf("(")], ids[2 + atoms.lastIndexOf("(")]);
    }

    @Test
    void proteinGivesOneIdPerLetterWithMarkers() {
        String sequence = "MKTAYIAKQRQISFVKSHFSRQ";
        int[] ids = nano.encode(sequence, InputKind.PROTEIN);
        assertEquals(sequence.length() + 3, ids.length);
        assertEquals("[START_AMINO]", nano.token(ids[1]));
        assertEquals("[END_AMINO]", nano.token(ids[ids.length - 1]));
        for (int i = 0; i < sequence.length(); i++) {
            assertEquals("⟪" + sequence.charAt(i) + "⟫", nano.token(ids[i + 2]));
        }
        assertEquals(ids[2 + 3], ids[2 + 6]); // both 'A'
        IllegalArgumentException lower = assertThrows(IllegalArgumentException.class,
                () -> nano.encode("MKtA", InputKind.PROTEIN));
        assertTrue(lower.getMessage().contains("'t' at position 2"), lower.getMessage());
    }

    @Test
    void smilesWithAnAtomTheVocabularyLacksIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> nano.encode("CC[199Hg]C", InputKind.SMILES)); // no piece, and no ^199 part for the fallback
        assertTrue(e.getMessage().contains("'[199Hg]'") && e.getMessage().contains("'CC[199Hg]C'")
                && e.getMessage().contains("part '^199'"), e.getMessage());
        assertTrue(e.getMessage().contains("tokenizer.model"), e.getMessage());
        IllegalArgumentException grammar = assertThrows(IllegalArgumentException.class,
                () -> nano.encode("CC O", InputKind.SMILES));
        assertTrue(grammar.getMessage().contains("position 2"), grammar.getMessage());
    }

    @Test
    void outOfRangeIdsThrowInsteadOfCrashing() {
        for (int id : new int[] {-1, nano.vocabSize(), Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nano.token(id));
            assertTrue(e.getMessage().contains("token id " + id), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> nano.decode(new int[] {nano.bosId().orElseThrow(), id}));
        }
        assertEquals("", nano.decode(new int[0]));
    }

    @Test
    void defaultFormatLooksUpBareSymbols(@TempDir Path dir) throws IOException {
        Files.copy(TestPaths.nano().resolve("tokenizer.model"), dir.resolve("tokenizer.model"));
        try (Tokenizer bare = Tokenizer.load(dir)) {
            assertEquals(ScienceVocabulary.DEFAULT, bare.scienceVocabulary());
            // "Cl" and "C" are ordinary BPE pieces of the nano vocabulary, so the default "%s" finds them.
            assertEquals(List.of("<s>", "[START_I_SMILES]", "Cl", "C", "C", "[END_I_SMILES]"),
                    tokens(bare, bare.encode("ClCC", InputKind.SMILES)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bare.encode("C[C@@H]C", InputKind.SMILES));
            assertTrue(e.getMessage().contains("'[C@@H]'"), e.getMessage());
        }
    }

    @Test
    void addedTokensExtendTheVocabularyAndSplitProse(@TempDir Path dir) throws IOException {
        Files.copy(TestPaths.nano().resolve("tokenizer.model"), dir.resolve("tokenizer.model"));
        Files.writeString(dir.resolve("added_tokens.json"), "{\"<|user|>\": 4096, \"<|assistant|>\": 4097}");
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"added_tokens_decoder\": {\"1\": {\"content\": \"<s>\"}, \"4098\": {\"content\": \"<|eod|>\"}}}");
        try (Tokenizer chat = Tokenizer.load(dir)) {
            assertEquals(4099, chat.vocabSize());
            assertEquals("<|assistant|>", chat.token(4097));
            assertEquals("<|eod|>", chat.token(4098));
            String text = "<|user|>Name a halide.<|assistant|>NaCl<|eod|>";
            int[] ids = chat.encode(text, InputKind.TEXT);
            assertEquals(List.of(1, 4096), List.of(ids[0], ids[1]));
            assertEquals(4098, ids[ids.length - 1]);
            assertEquals(1, Arrays.stream(ids).filter(id -> id == 4097).count());
            assertEquals(text, chat.decode(ids));
            int[] withoutAdded = nano.encode("Name a halide.", InputKind.TEXT);
            assertArrayEquals(Arrays.copyOfRange(withoutAdded, 1, withoutAdded.length),
                    Arrays.copyOfRange(ids, 2, 2 + withoutAdded.length - 1));
        }
    }

    @Test
    void addBosTokenOfTheConfigDecides(@TempDir Path dir) throws IOException {
        for (String file : List.of("tokenizer.model", ScienceVocabulary.FILE_NAME)) {
            Files.copy(TestPaths.nano().resolve(file), dir.resolve(file));
        }
        int[] withBos = nano.encode("CC(=O)O", InputKind.SMILES);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": false}");
        try (Tokenizer noBos = Tokenizer.load(dir)) {
            assertFalse(noBos.addsBos());
            assertTrue(noBos.bosId().isEmpty());
            assertEquals("adds no BOS: tokenizer_config.json add_bos_token=false", noBos.bosConvention());
            int[] prose = nano.encode("Hello world.", InputKind.TEXT);
            assertArrayEquals(Arrays.copyOfRange(prose, 1, prose.length), noBos.encode("Hello world.", InputKind.TEXT));
            assertArrayEquals(new int[0], noBos.encode("", InputKind.TEXT));
            assertArrayEquals(Arrays.copyOfRange(withBos, 1, withBos.length), noBos.encode("CC(=O)O", InputKind.SMILES));
            assertEquals("Hello world.", noBos.decode(noBos.encode("Hello world.", InputKind.TEXT)));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": true}");
        try (Tokenizer bos = Tokenizer.load(dir)) {
            assertEquals("adds '<s>' (id 1): tokenizer_config.json add_bos_token=true", bos.bosConvention());
            assertArrayEquals(withBos, bos.encode("CC(=O)O", InputKind.SMILES));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": \"no\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("add_bos_token is \"no\""), e.getMessage());
    }

    /** The nano model with add_dummy_prefix switched on, as in SciDFM's LlamaTokenizer model. */
    private static void writeDummyPrefixModel(Path dir) throws IOException {
        byte[] model = Files.readAllBytes(TestPaths.nano().resolve("tokenizer.model"));
        // normalizer_spec: name "identity" (field 1), precompiled_charsmap "" (2), add_dummy_prefix 0 (3).
        byte[] spec = {0x0a, 8, 'i', 'd', 'e', 'n', 't', 'i', 't', 'y', 0x12, 0, 0x18, 0};
        int at = -1;
        for (int i = 0; i + spec.length <= model.length; i++) {
            if (Arrays.equals(model, i, i + spec.length, spec, 0, spec.length)) {
                assertEquals(-1, at, "normalizer spec found twice");
                at = i;
            }
        }
        assertTrue(at >= 0, "normalizer spec not found in the nano model");
        model[at + spec.length - 1] = 1; // add_dummy_prefix = true
        Files.write(dir.resolve("tokenizer.model"), model);
    }

    @Test
    void dummyPrefixIsStrippedOnDecode(@TempDir Path dir) throws IOException {
        writeDummyPrefixModel(dir);
        Files.writeString(dir.resolve("added_tokens.json"), "{\"<|user|>\": 4096}");
        try (SentencePieceTokenizer llamaLike = SentencePieceTokenizer.load(dir)) {
            List<String> pieces = llamaLike.pieces("Hello world");
            assertTrue(pieces.get(0).startsWith("▁"), pieces.toString());
            assertFalse(nano.pieces("Hello world").get(0).startsWith("▁"));
            for (String text : new String[] {"Hello world", " leading space", "<|user|>Hi<|user|> there", "🙂 ok", ""}) {
                assertEquals(text, llamaLike.decode(llamaLike.encode(text, InputKind.TEXT)), text);
            }
            int[] a = llamaLike.encode("one", InputKind.TEXT);
            int[] b = llamaLike.encode("two", InputKind.TEXT);
            assertEquals("onetwo", llamaLike.decode(IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray()));
        }
    }

    @Test
    void inconsistentAddedTokensAreRefused(@TempDir Path dir) throws IOException {
        Files.copy(TestPaths.nano().resolve("tokenizer.model"), dir.resolve("tokenizer.model"));
        Files.writeString(dir.resolve("added_tokens.json"), "{\"<|user|>\": 4097}");
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(gap.getMessage().contains("id 4096 unassigned"), gap.getMessage());
        Files.writeString(dir.resolve("added_tokens.json"), "{\"<|user|>\": 5}");
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(clash.getMessage().contains("'<|user|>' has id 5"), clash.getMessage());
    }

    @Test
    void everyCorpusMoleculeAndProteinEncodesWithTheNanoVocabulary() throws IOException {
        List<String> rows = Files.readAllLines(TestPaths.corpusFile("molecules.tsv"));
        for (String row : rows.subList(1, rows.size())) {
            String smiles = row.split("\t", 2)[0];
            assertEquals(SmilesSplitter.split(smiles).size() + 3, nano.encode(smiles, InputKind.SMILES).length);
        }
        StringBuilder sequence = new StringBuilder();
        for (String line : Files.readAllLines(TestPaths.corpusFile("proteins.fasta"))) {
            if (!line.startsWith(">")) {
                sequence.append(line.strip());
            }
        }
        assertEquals(sequence.length() + 3, nano.encode(sequence.toString(), InputKind.PROTEIN).length);
    }

    @Test
    void aTruncatedModelFileIsRefusedNamingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        byte[] whole = java.nio.file.Files.readAllBytes(TestPaths.nano().resolve(SentencePieceTokenizer.MODEL_FILE));
        java.nio.file.Path file = dir.resolve(SentencePieceTokenizer.MODEL_FILE);
        for (int cut = 0; cut < whole.length; cut += Math.max(1, whole.length / 40)) {
            java.nio.file.Files.write(file, java.util.Arrays.copyOf(whole, cut));
            try (Tokenizer t = Tokenizer.load(dir)) {
                assertTrue(t.vocabSize() < nano.vocabSize(), "a cut file at " + cut + " loaded every piece");
            } catch (java.io.IOException | IllegalArgumentException e) {
                String m = e.getMessage();
                assertTrue(m.contains(file.toString()) && !m.contains("\n"), "cut at " + cut + ": " + m);
                assertFalse(m.matches(".*\\b[A-Z]\\w*(Exception|Error)\\b.*"), "cut at " + cut + ": " + m);
            }
        }
    }
}
