package dev.routelens.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The BOS convention of an HF {@code tokenizer.json}, decided as {@code AutoTokenizer.from_pretrained(dir)}
 * of transformers 5.18 decides it, so that {@code encode} gives the ids of {@code tokenizer(text)["input_ids"]}.
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>{@code tokenizer_class} {@code GPTNeoXTokenizer} (OLMoE, OLMo, Pythia) or {@code GPTNeoXTokenizerFast}
 *       in {@code tokenizer_config.json}: <b>no BOS</b>, whatever the post-processor. That class rebuilds its
 *       backend and then replaces the file's post-processor by one built from {@code add_bos_token}
 *       ({@code models/gpt_neox/tokenization_gpt_neox.py:148}), whose default is false (line 81 there, and
 *       {@code tokenization_utils_tokenizers.py:454}), and the file's own {@code add_bos_token} never gets there
 *       (next point).
 *   <li>Otherwise {@code tokenizer.json}'s {@code post_processor} decides. The other classes keep it: a class
 *       without its own constructor loads the file as is ({@code tokenization_utils_tokenizers.py:113-119});
 *       LlamaTokenizer, Qwen2Tokenizer and the like rebuild their backend but are handed the file's
 *       post-processor (lines 120-149, installed at 456-457) and rebuild it only when it is null (458, 521-525).
 *       (Splinter, a BERT-style class, also rebuilds it in its constructor; it is not modelled.)
 *       <ul>
 *         <li>{@code TemplateProcessing} whose {@code single} template begins with a {@code SpecialToken}: that
 *             token (its id from {@code special_tokens}) is the BOS, even when {@code bos_token} is null or
 *             another token. Two leading special tokens are refused. Special tokens after {@code $A} (an EOS
 *             template) are not added: {@code encode} never adds EOS.
 *         <li>{@code BertProcessing}/{@code RobertaProcessing}: their {@code cls} token.
 *         <li>{@code Sequence}: its one member that adds a BOS, if any (two such members are refused).
 *         <li>{@code ByteLevel} (Qwen2's), a template beginning with {@code $A}, or none at all: no BOS. A null
 *             post-processor is rebuilt by {@code update_post_processor} (lines 626-650) from
 *             {@code add_bos_token}, which is false here.
 *       </ul>
 *   <li>{@code tokenizer_config.json}'s {@code add_bos_token} is never read: {@code _from_pretrained} drops it
 *       whenever a {@code tokenizer.json} is present ({@code tokenization_utils_base.py:1780-1782}). When it
 *       disagrees with the decision, the source says that it was ignored. (transformers 4's
 *       LlamaTokenizerFast and GPTNeoXTokenizerFast let it override the post-processor; the two agree in the
 *       files those versions saved.)
 * </ol>
 * Other post-processor types are refused with their name. Line numbers are of transformers 5.18.0.
 */
final class HfBosConvention {

    /** Classes whose transformers 5 constructor replaces the post-processor with one that adds no BOS. */
    private static final Set<String> REBUILT_WITHOUT_BOS = Set.of("GPTNeoXTokenizer", "GPTNeoXTokenizerFast");

    private HfBosConvention() {
    }

    /**
     * @param file the tokenizer.json, for messages
     * @param root its parsed content
     * @param config tokenizer_config.json, an empty object when absent
     * @param tokens id to token, to name the BOS and check its id
     */
    static BosPolicy read(Path file, JsonNode root, JsonNode config, String[] tokens) {
        BosPolicy decided = decide(file, root, config, tokens);
        JsonNode flag = config.get("add_bos_token");
        if (flag != null && flag.isBoolean() && flag.booleanValue() != decided.added()) {
            String source = decided.source() + "; " + AddedTokens.TOKENIZER_CONFIG_FILE + " add_bos_token="
                    + flag.booleanValue() + " ignored, as transformers 5 ignores it beside a tokenizer.json";
            return decided.added() ? BosPolicy.adds(decided.id(), decided.token(), source) : BosPolicy.none(source);
        }
        return decided;
    }

    private static BosPolicy decide(Path file, JsonNode root, JsonNode config, String[] tokens) {
        String tokenizerClass = config.path("tokenizer_class").asText("");
        if (REBUILT_WITHOUT_BOS.contains(tokenizerClass)) {
            return BosPolicy.none(AddedTokens.TOKENIZER_CONFIG_FILE + " tokenizer_class=" + tokenizerClass
                    + " (transformers 5 rebuilds its post_processor with add_bos_token=false)");
        }
        JsonNode processor = root.get("post_processor");
        if (processor == null || processor.isNull()) {
            return BosPolicy.none(HfJsonTokenizer.TOKENIZER_FILE + " has no post_processor");
        }
        String type = processor.path("type").asText("");
        if (type.equals("Sequence")) {
            List<BosPolicy> adding = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (JsonNode member : processor.path("processors")) {
                BosPolicy p = single(file, member, tokens);
                types.add(member.path("type").asText("?"));
                if (p.added()) {
                    adding.add(p);
                }
            }
            String source = HfJsonTokenizer.TOKENIZER_FILE + " post_processor Sequence" + types;
            if (adding.size() > 1) {
                throw new IllegalArgumentException(file + ": post_processor Sequence has " + adding.size()
                        + " members that put a token first; RouteLens models one BOS");
            }
            return adding.isEmpty() ? BosPolicy.none(source)
                    : BosPolicy.adds(adding.get(0).id(), adding.get(0).token(), source);
        }
        return single(file, processor, tokens);
    }

    /** The BOS of one post-processor that is not a Sequence. */
    private static BosPolicy single(Path file, JsonNode processor, String[] tokens) {
        String type = processor.path("type").asText("");
        String source = HfJsonTokenizer.TOKENIZER_FILE + " post_processor " + type;
        return switch (type) {
            case "ByteLevel" -> BosPolicy.none(source);
            case "TemplateProcessing" -> template(file, processor, tokens, source);
            case "BertProcessing", "RobertaProcessing" -> {
                JsonNode cls = processor.path("cls");
                yield adds(file, cls.path(1), cls.path(0).asText(null), tokens, source);
            }
            default -> throw new IllegalArgumentException(file + ": post_processor type '" + type
                    + "' is not one RouteLens reads (TemplateProcessing, ByteLevel, Sequence, BertProcessing, "
                    + "RobertaProcessing)");
        };
    }

    private static BosPolicy template(Path file, JsonNode processor, String[] tokens, String source) {
        JsonNode single = processor.path("single");
        if (!single.isArray() || single.isEmpty()) {
            throw new IllegalArgumentException(file + ": post_processor TemplateProcessing has no single template");
        }
        int leading = 0;
        while (leading < single.size() && single.get(leading).has("SpecialToken")) {
            leading++;
        }
        if (leading == 0) {
            return BosPolicy.none(source);
        }
        if (leading > 1) {
            throw new IllegalArgumentException(file + ": post_processor TemplateProcessing puts " + leading
                    + " special tokens first; RouteLens models one BOS");
        }
        String name = single.get(0).path("SpecialToken").path("id").asText(null);
        JsonNode ids = processor.path("special_tokens").path(name == null ? "" : name).path("ids");
        if (!ids.isArray() || ids.size() != 1) {
            throw new IllegalArgumentException(file + ": post_processor TemplateProcessing's special token '" + name
                    + "' needs exactly one id in special_tokens");
        }
        return adds(file, ids.get(0), name, tokens, source);
    }

    private static BosPolicy adds(Path file, JsonNode idNode, String name, String[] tokens, String source) {
        if (!idNode.isIntegralNumber() || idNode.intValue() < 0 || idNode.intValue() >= tokens.length) {
            throw new IllegalArgumentException(file + ": the " + source + " puts id " + idNode + " ('" + name
                    + "') first, outside the vocabulary [0, " + tokens.length + ")");
        }
        int id = idNode.intValue();
        return BosPolicy.adds(id, tokens[id], source);
    }
}
