package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.core.InputKind;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our ids against HF's own: tiny tokenizers in the Qwen2, OLMoE (GPT-NeoX) and Llama styles, each with
 * {@code AutoTokenizer.from_pretrained(dir)(text)["input_ids"]} of transformers 5.18 for texts with non-ASCII,
 * whitespace runs and newlines, written by {@code scripts/hf_tokenizer_fixtures.py}. Exact equality, BOS
 * included, and decoding equal to HF's decoding of the same ids without the BOS.
 */
class HfTokenizerFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Texts that do not come back unchanged, in HF as here: NFC composes a combining accent (Qwen2, GPT-NeoX
     * normalizers); Llama's Metaspace does not add its ▁ before a leading space and its decoder then strips one
     * space; and a literal {@code <s>} is the BOS token, which decoding drops.
     */
    private static final Map<String, Set<String>> CHANGED_BY_DECODING = Map.of(
            "qwen2", Set.of("cafe\u0301 with a combining accent"),
            "olmoe", Set.of("cafe\u0301 with a combining accent"),
            "llama", Set.of(" leading space, trailing space ", "    four spaces, then text\n  \n", "<s> inside text"));

    private static Path fixture(String name) {
        try {
            return Path.of(HfTokenizerFixturesTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::intValue).toArray();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "qwen2|adds no BOS: tokenizer.json post_processor ByteLevel",
        "olmoe|adds no BOS: tokenizer_config.json tokenizer_class=GPTNeoXTokenizer (transformers 5 rebuilds its"
                + " post_processor with add_bos_token=false)",
        "llama|adds '<s>' (id 1): tokenizer.json post_processor TemplateProcessing",
    })
    void idsAreHfsAndDecodingIsHfs(String name, String convention) throws IOException {
        Path dir = fixture(name);
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertInstanceOf(HfJsonTokenizer.class, tokenizer);
            assertEquals(convention, tokenizer.bosConvention());
            JsonNode bosId = expected.get("bos_id");
            assertEquals(bosId.isNull(), tokenizer.bosId().isEmpty());
            if (!bosId.isNull()) {
                assertEquals(bosId.intValue(), tokenizer.bosId().getAsInt());
            }
            for (JsonNode c : expected.get("cases")) {
                String text = c.get("text").textValue();
                int[] hfIds = ints(c.get("ids"));
                int[] ids = tokenizer.encode(text, InputKind.TEXT);
                assertArrayEquals(hfIds, ids, name + ": ids of '" + text + "'");
                String decoded = c.get("decoded").textValue();
                assertEquals(decoded, tokenizer.decode(ids), name + ": decoding of '" + text + "'");
                assertEquals(!CHANGED_BY_DECODING.get(name).contains(text), decoded.equals(text),
                        name + ": '" + text + "' decodes to '" + decoded + "'");
            }
        }
    }

    /**
     * The BOS transformers 5.18 puts before a text, for the llama or qwen2 fixture's tokenizer.json under other
     * post-processors and tokenizer_config.json files: the rule of {@link HfBosConvention}, case by case.
     */
    @Test
    void bosRuleIsTransformers(@TempDir Path dir) throws IOException {
        JsonNode rules = JSON.readTree(fixture("bos_rules.json").toFile());
        String text = rules.get("text").textValue();
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (JsonNode c : rules.get("cases")) {
            ObjectNode tokenizerJson = (ObjectNode) JSON.readTree(
                    fixture(c.get("base").textValue()).resolve("tokenizer.json").toFile());
            tokenizerJson.set("post_processor", c.get("post_processor"));
            Path caseDir = Files.createDirectories(dir.resolve("case" + n++));
            JSON.writeValue(caseDir.resolve("tokenizer.json").toFile(), tokenizerJson);
            JSON.writeValue(caseDir.resolve("tokenizer_config.json").toFile(), c.get("tokenizer_config"));
            int[] hfPrefix = ints(c.get("prefix"));
            try (Tokenizer tokenizer = Tokenizer.load(caseDir)) {
                int[] ids = tokenizer.encode(text, InputKind.TEXT);
                int[] ours = tokenizer.bos().prefix();
                boolean same = Arrays.equals(hfPrefix, ours) && Arrays.equals(ours, Arrays.copyOf(ids, ours.length));
                if (!same) {
                    wrong.add(c.get("name").textValue() + ": HF " + c.get("prefix") + ", ours "
                            + Arrays.toString(ours) + " (" + tokenizer.bosConvention() + ")");
                }
            }
        }
        assertEquals(14, rules.get("cases").size());
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
