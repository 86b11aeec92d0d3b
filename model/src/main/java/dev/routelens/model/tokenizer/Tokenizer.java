package dev.routelens.model.tokenizer;

import dev.routelens.core.InputKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Turns an input document into the token ids a model reads, and ids back into text.
 *
 * <p>Ids lie in {@code [0, vocabSize())}. {@link #encode} puts a BOS first only when the tokenizer's
 * convention adds one ({@link #bos()}, read from its files as HF transformers reads them: Llama and SciDFM
 * add {@code <s>}, Qwen and OLMoE add nothing), and adds no EOS. Implementations hold native resources:
 * close them.
 */
public interface Tokenizer extends AutoCloseable {

    /** Number of ids, added tokens included. */
    int vocabSize();

    /** Whether {@link #encode} puts a BOS first, which, and what decided it. */
    BosPolicy bos();

    /** Whether {@link #encode} puts a BOS first. */
    default boolean addsBos() {
        return bos().added();
    }

    /** The BOS convention in one line, e.g. {@code adds '<s>' (id 1): tokenizer.json post_processor ...}. */
    default String bosConvention() {
        return bos().describe();
    }

    /** The id {@link #encode} puts first; empty when the convention adds no BOS. */
    default OptionalInt bosId() {
        return bos().bosId();
    }

    int eosId();

    /**
     * The ids fed to the model: the BOS when {@link #bos()} adds one, then the input's own. Prose goes through
     * the subword model; SMILES and proteins are wrapped in markers with one id per atom token or letter (see
     * {@link ScienceEncoder}). Empty prose gives the BOS alone, or no ids at all.
     *
     * @throws IllegalArgumentException naming the token and the input when the vocabulary lacks a
     *     piece a molecule or protein needs, or when the input is not a SMILES string or sequence
     */
    int[] encode(String text, InputKind kind);

    /** The vocabulary piece of {@code id}, as stored (SentencePiece pieces keep their {@code ▁}). */
    String token(int id);

    /**
     * Text of {@code ids}: BOS, EOS, padding and other control tokens are dropped, added tokens appear
     * as themselves. {@code decode(encode(text, TEXT))} gives {@code text} back.
     *
     * @throws IllegalArgumentException when an id is out of range
     */
    String decode(int[] ids);

    /** Markers and piece formats used for molecules and proteins. */
    ScienceVocabulary scienceVocabulary();

    @Override
    void close();

    /**
     * Loads the tokenizer of a model directory: {@code tokenizer.model} (SentencePiece, with HF added
     * tokens) when present, else {@code tokenizer.json} (HF tokenizers).
     *
     * @throws IOException naming the directory when it has neither file
     */
    static Tokenizer load(Path modelDir) throws IOException {
        if (Files.isRegularFile(modelDir.resolve(SentencePieceTokenizer.MODEL_FILE))) {
            return SentencePieceTokenizer.load(modelDir);
        }
        if (Files.isRegularFile(modelDir.resolve(HfJsonTokenizer.TOKENIZER_FILE))) {
            return HfJsonTokenizer.load(modelDir);
        }
        throw new IOException(modelDir + ": no " + SentencePieceTokenizer.MODEL_FILE + " or "
                + HfJsonTokenizer.TOKENIZER_FILE + " found");
    }
}
