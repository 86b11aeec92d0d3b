package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.model.InputKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfJsonTokenizerTest {

    /** Word-level vocabulary written by hand: ids are the positions in this array. */
    private static final String[] WORDS = {
        "<unk>", "<s>", "</s>", "the", "cat", "sat", "[START_I_SMILES]", "[END_I_SMILES]", "C", "O", "(", ")", "=",
    };

    /**
     * A tokenizer.json with a WordLevel model, whitespace pre-tokenizer, and a post-processor that would
     * add {@code <s>} itself (the tokenizer must not add BOS twice).
     */
    private static String tokenizerJson() {
        String vocab = IntStream.range(0, WORDS.length)
                .mapToObj(i -> "\"" + WORDS[i] + "\": " + i)
                .collect(Collectors.joining(", "));
        String special = IntStream.range(0, 3)
                .mapToObj(i -> "{\"id\": " + i + ", \"content\": \"" + WORDS[i] + "\", \"single_word\": false, "
                        + "\"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}")
                .collect(Collectors.joining(", "));
        return "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null,"
                + " \"added_tokens\": [" + special + "],"
                + " \"normalizer\": null,"
                + " \"pre_tokenizer\": {\"type\": \"WhitespaceSplit\"},"
                + " \"post_processor\": {\"type\": \"TemplateProcessing\","
                + "   \"single\": [{\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}},"
                + "              {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}],"
                + "   \"pair\": [{\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"B\", \"type_id\": 1}}],"
                + "   \"special_tokens\": {\"<s>\": {\"id\": \"<s>\", \"ids\": [1], \"tokens\": [\"<s>\"]}}},"
                + " \"decoder\": null,"
                + " \"model\": {\"type\": \"WordLevel\", \"vocab\": {" + vocab + "}, \"unk_token\": \"<unk>\"}}";
    }

    @Test
    void encodesProseWithBosOnce(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertInstanceOf(HfJsonTokenizer.class, tokenizer);
            assertEquals(WORDS.length, tokenizer.vocabSize());
            assertEquals(1, tokenizer.bosId());
            assertEquals(2, tokenizer.eosId());
            assertArrayEquals(new int[] {1, 3, 4, 5}, tokenizer.encode("the cat sat", InputKind.TEXT));
            assertArrayEquals(new int[] {1, 3, 0, 5}, tokenizer.encode("the dog sat", InputKind.TEXT));
            assertArrayEquals(new int[] {1}, tokenizer.encode("", InputKind.TEXT));
            assertEquals("the cat sat", tokenizer.decode(new int[] {1, 3, 4, 5, 2}));
            assertEquals("sat", tokenizer.token(5));
            for (int id : new int[] {-1, WORDS.length}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokenizer.token(id));
                assertTrue(e.getMessage().contains("token id " + id), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {id}));
            }
        }
    }

    @Test
    void longProseIsNotTruncated(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
        String text = String.join(" ", java.util.Collections.nCopies(3000, "cat"));
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertEquals(3001, tokenizer.encode(text, InputKind.TEXT).length);
        }
    }

    @Test
    void smilesUsesExactPiecesAndMissingMarkersAreRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertArrayEquals(new int[] {1, 6, 8, 8, 10, 12, 9, 11, 9, 7}, tokenizer.encode("CC(=O)O", InputKind.SMILES));
            IllegalArgumentException atom = assertThrows(IllegalArgumentException.class,
                    () -> tokenizer.encode("CCN", InputKind.SMILES));
            assertTrue(atom.getMessage().contains("atom token 'N'") && atom.getMessage().contains("'CCN'"),
                    atom.getMessage());
            IllegalArgumentException marker = assertThrows(IllegalArgumentException.class,
                    () -> tokenizer.encode("MKV", InputKind.PROTEIN));
            assertTrue(marker.getMessage().contains("'[START_AMINO]'") && marker.getMessage().contains("'MKV'"),
                    marker.getMessage());
        }
    }

    @Test
    void bosAndEosComeFromTokenizerConfig(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": {\"content\": \"the\"}, \"eos_token\": \"sat\"}");
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertEquals(3, tokenizer.bosId());
            assertEquals(5, tokenizer.eosId());
            assertArrayEquals(new int[] {3, 4}, tokenizer.encode("cat", InputKind.TEXT));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<bos>\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("bos_token '<bos>'"), e.getMessage());
    }

    @Test
    void sentencePieceWinsWhenBothFilesExist(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
        Files.copy(TestPaths.nano().resolve("tokenizer.model"), dir.resolve("tokenizer.model"));
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertInstanceOf(SentencePieceTokenizer.class, tokenizer);
        }
    }
}
