package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
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

    /** The post-processor of {@link #tokenizerJson()}: a template that puts {@code <s>} first. */
    private static final String BOS_TEMPLATE = "{\"type\": \"TemplateProcessing\","
            + "   \"single\": [{\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}},"
            + "              {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}],"
            + "   \"pair\": [{\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"B\", \"type_id\": 1}}],"
            + "   \"special_tokens\": {\"<s>\": {\"id\": \"<s>\", \"ids\": [1], \"tokens\": [\"<s>\"]}}}";

    /**
     * A tokenizer.json with a WordLevel model, whitespace pre-tokenizer, and a post-processor that adds
     * {@code <s>} (the tokenizer must add it once).
     */
    private static String tokenizerJson() {
        return tokenizerJson(BOS_TEMPLATE);
    }

    private static String tokenizerJson(String postProcessor) {
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
                + " \"post_processor\": " + postProcessor + ","
                + " \"decoder\": null,"
                + " \"model\": {\"type\": \"WordLevel\", \"vocab\": {" + vocab + "}, \"unk_token\": \"<unk>\"}}";
    }

    @Test
    void encodesProseWithBosOnce(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertInstanceOf(HfJsonTokenizer.class, tokenizer);
            assertEquals(WORDS.length, tokenizer.vocabSize());
            assertEquals(1, tokenizer.bosId().orElseThrow());
            assertEquals("adds '<s>' (id 1): tokenizer.json post_processor TemplateProcessing",
                    tokenizer.bosConvention());
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
    void eosComesFromTokenizerConfigAndBosFromThePostProcessor(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson());
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": {\"content\": \"the\"}, \"eos_token\": \"sat\"}");
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertEquals(1, tokenizer.bosId().orElseThrow(), "the template's <s>, as HF adds it, not bos_token");
            assertEquals(5, tokenizer.eosId());
            assertArrayEquals(new int[] {1, 4}, tokenizer.encode("cat", InputKind.TEXT));
            assertEquals("cat", tokenizer.decode(new int[] {1, 3, 4, 5}), "declared bos_token dropped too");
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<bos>\", \"eos_token\": \"<eos>\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("eos_token '<eos>'"), e.getMessage());
    }

    @Test
    void withoutALeadingSpecialTokenNothingIsPutFirst(@TempDir Path dir) throws IOException {
        String eosOnly = BOS_TEMPLATE.replace("{\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}},", "")
                .replace("\"type_id\": 0}}],", "\"type_id\": 0}}, {\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}}],");
        for (String processor : new String[] {"null", "{\"type\": \"ByteLevel\", \"add_prefix_space\": false,"
                + " \"trim_offsets\": false, \"use_regex\": false}", eosOnly}) {
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson(processor));
            Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": null, \"add_bos_token\": true}");
            try (Tokenizer tokenizer = Tokenizer.load(dir)) {
                assertFalse(tokenizer.addsBos(), processor);
                assertTrue(tokenizer.bosId().isEmpty(), processor);
                assertTrue(tokenizer.bosConvention().endsWith(
                        "; tokenizer_config.json add_bos_token=true ignored, as transformers 5 ignores it beside a"
                        + " tokenizer.json"), tokenizer.bosConvention());
                assertArrayEquals(new int[] {3, 4, 5}, tokenizer.encode("the cat sat", InputKind.TEXT), processor);
                assertArrayEquals(new int[0], tokenizer.encode("", InputKind.TEXT), processor);
                assertArrayEquals(new int[] {6, 8, 7}, tokenizer.encode("C", InputKind.SMILES), processor);
                assertEquals("the cat sat", tokenizer.decode(tokenizer.encode("the cat sat", InputKind.TEXT)));
            }
        }
    }

    @Test
    void postProcessorsThatCannotBeModelledAreRefused(@TempDir Path dir) throws IOException {
        String twoFirst = BOS_TEMPLATE.replace("\"single\": [", "\"single\": [{\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}},");
        String[][] cases = {
            {"{\"type\": \"Mystery\"}", "post_processor type 'Mystery' is not one RouteLens reads"},
            {twoFirst, "puts 2 special tokens first"},
            {BOS_TEMPLATE.replace("\"ids\": [1]", "\"ids\": [99]"), "puts id 99 ('<s>') first, outside the vocabulary"},
            {"{\"type\": \"Sequence\", \"processors\": [" + BOS_TEMPLATE + ", " + BOS_TEMPLATE + "]}",
                "Sequence has 2 members that put a token first"},
        };
        for (String[] c : cases) {
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson(c[0]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
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
