package dev.routelens.model.tokenizer;

import java.util.OptionalInt;

/**
 * Whether {@link Tokenizer#encode} puts a BOS token first, which one, and what decided it. The decision is
 * read from the tokenizer's files, as HF transformers makes it (see {@link HfBosConvention} and
 * {@link SentencePieceTokenizer}): Llama/SciDFM add {@code <s>}, Qwen and OLMoE add nothing.
 *
 * @param added whether encode puts {@code id} first
 * @param id the id put first; -1 when none is added
 * @param token the piece of {@code id}; null when none is added
 * @param source what decided, e.g. {@code tokenizer.json post_processor TemplateProcessing}
 */
public record BosPolicy(boolean added, int id, String token, String source) {

    public BosPolicy {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a BOS policy names its source");
        }
        if (added ? id < 0 || token == null : id != -1 || token != null) {
            throw new IllegalArgumentException("BOS " + (added ? "added needs an id and token" : "not added has none")
                    + " (id " + id + ", token " + token + ", " + source + ")");
        }
    }

    /** {@code token} (id {@code id}) is put first. */
    public static BosPolicy adds(int id, String token, String source) {
        return new BosPolicy(true, id, token, source);
    }

    /** Nothing is put first. */
    public static BosPolicy none(String source) {
        return new BosPolicy(false, -1, null, source);
    }

    /** The id put first, empty when none is. */
    public OptionalInt bosId() {
        return added ? OptionalInt.of(id) : OptionalInt.empty();
    }

    /** The ids put before the input's own: {@code [id]} or {@code []}. */
    int[] prefix() {
        return added ? new int[] {id} : new int[0];
    }

    /** One line, e.g. {@code adds '<s>' (id 1): tokenizer.json post_processor TemplateProcessing}. */
    public String describe() {
        return (added ? "adds '" + token + "' (id " + id + ")" : "adds no BOS") + ": " + source;
    }
}
