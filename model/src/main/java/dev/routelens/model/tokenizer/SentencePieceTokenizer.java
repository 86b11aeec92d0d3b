package dev.routelens.model.tokenizer;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.routelens.core.InputKind;
import dev.routelens.model.tokenizer.SentencePieceModelProto.PieceType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A SentencePiece {@code tokenizer.model} (SciDFM's HF LlamaTokenizer layout) through DJL's native
 * SentencePiece, plus HF added tokens ({@code added_tokens.json} / {@code tokenizer_config.json}) whose ids
 * continue after the model's pieces.
 *
 * <p>Only encoding of prose runs natively. The piece table is read from the protobuf in Java, every id is
 * bounds-checked, and decoding is done in Java: DJL's {@code getToken} aborts the JVM on an out-of-range
 * id and its {@code decode} truncates 4-byte UTF-8. Prose is first split on added tokens (longest match
 * wins) and each remaining segment is encoded separately, as HF's slow LlamaTokenizer does in legacy mode.
 *
 * <p>BOS: the model's {@code bos_id} piece is put first unless {@code tokenizer_config.json} says
 * {@code "add_bos_token": false}; {@code true} or no such key adds it, the default of the LlamaTokenizer this
 * layout comes from (documented in transformers 5.18's {@code models/llama/tokenization_llama.py:77}, applied
 * by transformers 4). transformers 5.18 itself builds a tokenizer from a bare {@code tokenizer.model} with
 * {@code add_bos_token} false when the config has no such key ({@code tokenization_utils_tokenizers.py:454});
 * RouteLens keeps the Llama default, with which SciDFM-nano was trained.
 */
public final class SentencePieceTokenizer implements Tokenizer {

    /** File name in a model directory. */
    public static final String MODEL_FILE = "tokenizer.model";

    private static final char WORD_BOUNDARY = '\u2581'; // ▁

    private final Path modelFile;
    private final SentencePieceModelProto model;
    private final String[] addedTokens; // [vocabSize - pieceCount]
    private final Map<String, Integer> addedTokenIds; // every added token, also those naming a model piece
    private final Pattern addedTokenPattern; // null when there are no added tokens
    private final BosPolicy bos;
    private final ScienceEncoder science;
    private final SpTokenizer nativeTokenizer;
    private final SpProcessor processor;

    private SentencePieceTokenizer(Path modelFile, SentencePieceModelProto model, String[] addedTokens,
            Map<String, Integer> addedTokenIds, Map<String, Integer> pieceIds, BosPolicy bos,
            ScienceVocabulary vocabulary, SpTokenizer nativeTokenizer) {
        this.modelFile = modelFile;
        this.model = model;
        this.addedTokens = addedTokens;
        this.addedTokenIds = Map.copyOf(addedTokenIds);
        this.addedTokenPattern = addedTokenIds.isEmpty() ? null : Pattern.compile(addedTokenIds.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .map(Pattern::quote)
                .collect(Collectors.joining("|")));
        this.bos = bos;
        this.science = new ScienceEncoder(vocabulary, pieceIds, bos, modelFile.toString());
        this.nativeTokenizer = nativeTokenizer;
        this.processor = nativeTokenizer.getProcessor();
    }

    /** Loads {@code tokenizer.model}, added tokens and {@code routelens_tokenizer.json} from a model directory. */
    public static SentencePieceTokenizer load(Path modelDir) throws IOException {
        Path modelFile = modelDir.resolve(MODEL_FILE);
        SentencePieceModelProto model = SentencePieceModelProto.read(modelFile);
        SortedMap<Integer, String> added = AddedTokens.read(modelDir);
        Map<String, Integer> pieceIds = new HashMap<>();
        Map<String, Integer> addedTokenIds = new HashMap<>();
        for (int id = model.pieceCount() - 1; id >= 0; id--) {
            pieceIds.put(model.piece(id), id); // the lowest id wins for duplicated pieces
        }
        int pieceCount = model.pieceCount();
        String[] beyond = new String[added.isEmpty() ? 0 : Math.max(0, added.lastKey() + 1 - pieceCount)];
        for (Map.Entry<Integer, String> entry : added.entrySet()) {
            int id = entry.getKey();
            String token = entry.getValue();
            if (addedTokenIds.put(token, id) != null) {
                throw new IllegalArgumentException(modelDir + ": added token '" + token + "' has two ids");
            }
            if (id < pieceCount) {
                if (!model.piece(id).equals(token)) {
                    throw new IllegalArgumentException(modelDir + ": added token '" + token + "' has id " + id
                            + ", which is the model's piece '" + model.piece(id) + "'");
                }
                continue;
            }
            if (pieceIds.containsKey(token)) {
                throw new IllegalArgumentException(modelDir + ": added token '" + token + "' (id " + id
                        + ") duplicates id " + pieceIds.get(token));
            }
            beyond[id - pieceCount] = token;
            pieceIds.put(token, id);
        }
        for (int i = 0; i < beyond.length; i++) {
            if (beyond[i] == null) {
                throw new IllegalArgumentException(modelDir + ": added tokens leave id " + (pieceCount + i)
                        + " unassigned (model has " + pieceCount + " pieces)");
            }
        }
        BosPolicy bos = bosPolicy(modelDir, model);
        ScienceVocabulary vocabulary = ScienceVocabulary.read(modelDir);
        SpTokenizer nativeTokenizer;
        try {
            nativeTokenizer = new SpTokenizer(modelFile);
        } catch (IOException | RuntimeException e) { // the native library's message names no file
            String reason = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("").strip();
            throw new IOException(modelFile + ": SentencePiece cannot load it"
                    + (reason.isEmpty() ? "" : " (" + reason + ")") + "; is the file complete?", e);
        }
        return new SentencePieceTokenizer(modelFile, model, beyond, addedTokenIds, pieceIds, bos, vocabulary,
                nativeTokenizer);
    }

    /** The model's BOS piece, unless tokenizer_config.json says add_bos_token false. */
    private static BosPolicy bosPolicy(Path modelDir, SentencePieceModelProto model) throws IOException {
        JsonNode flag = AddedTokens.readConfig(modelDir).get("add_bos_token");
        if (flag != null && !flag.isBoolean()) {
            throw new IllegalArgumentException(modelDir.resolve(AddedTokens.TOKENIZER_CONFIG_FILE)
                    + ": add_bos_token is " + flag + ", not true or false");
        }
        if (flag == null) {
            return BosPolicy.adds(model.bosId(), model.piece(model.bosId()), MODEL_FILE
                    + " bos_id; LlamaTokenizer's default add_bos_token=true (" + AddedTokens.TOKENIZER_CONFIG_FILE
                    + " sets none)");
        }
        String source = AddedTokens.TOKENIZER_CONFIG_FILE + " add_bos_token=" + flag.booleanValue();
        return flag.booleanValue() ? BosPolicy.adds(model.bosId(), model.piece(model.bosId()), source)
                : BosPolicy.none(source);
    }

    @Override
    public int vocabSize() {
        return model.pieceCount() + addedTokens.length;
    }

    @Override
    public BosPolicy bos() {
        return bos;
    }

    @Override
    public int eosId() {
        return model.eosId();
    }

    /** The model's padding id, or -1 when it has none. */
    public int padId() {
        return model.padId();
    }

    /** Pieces in the {@code .model} file, before added tokens. */
    public int pieceCount() {
        return model.pieceCount();
    }

    @Override
    public ScienceVocabulary scienceVocabulary() {
        return science.vocabulary();
    }

    @Override
    public int[] encode(String text, InputKind kind) {
        return science.encode(text, kind, this::encodeProse);
    }

    private int[] encodeProse(String text) {
        IntStream.Builder ids = IntStream.builder();
        for (int id : bos.prefix()) {
            ids.add(id);
        }
        if (addedTokenPattern == null) {
            encodeSegment(text, ids);
            return ids.build().toArray();
        }
        Matcher matcher = addedTokenPattern.matcher(text);
        int start = 0;
        while (matcher.find()) {
            encodeSegment(text.substring(start, matcher.start()), ids);
            ids.add(addedTokenIds.get(matcher.group()));
            start = matcher.end();
        }
        encodeSegment(text.substring(start), ids);
        return ids.build().toArray();
    }

    private void encodeSegment(String segment, IntStream.Builder ids) {
        if (segment.isEmpty()) {
            return;
        }
        for (int id : processor.encode(segment)) {
            if (id < 0 || id >= model.pieceCount()) {
                throw new IllegalStateException(modelFile + ": SentencePiece returned id " + id
                        + " outside [0, " + model.pieceCount() + ")");
            }
            ids.add(id);
        }
    }

    @Override
    public String token(int id) {
        checkId(id);
        return id < model.pieceCount() ? model.piece(id) : addedTokens[id - model.pieceCount()];
    }

    @Override
    public String decode(int[] ids) {
        for (int id : ids) {
            checkId(id);
        }
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
        boolean segmentStart = true; // a dummy prefix ▁ was added here when encoding
        for (int id : ids) {
            if (id >= model.pieceCount()) {
                flush(pendingBytes, text);
                text.append(addedTokens[id - model.pieceCount()]);
                segmentStart = true;
                continue;
            }
            PieceType type = model.type(id);
            if (type == PieceType.CONTROL) {
                segmentStart |= id == model.bosId(); // encode starts a fresh segment after BOS
                continue;
            }
            if (type == PieceType.BYTE) {
                pendingBytes.write(byteValue(id));
                segmentStart = false;
                continue;
            }
            flush(pendingBytes, text);
            String piece = type == PieceType.UNKNOWN ? model.unkSurface() : model.piece(id);
            if (segmentStart && model.addDummyPrefix() && !piece.isEmpty() && piece.charAt(0) == WORD_BOUNDARY) {
                piece = piece.substring(1);
            }
            text.append(piece.replace(WORD_BOUNDARY, ' '));
            segmentStart = false;
        }
        flush(pendingBytes, text);
        return text.toString();
    }

    /** The byte of a byte-fallback piece {@code <0xNN>}. */
    private int byteValue(int id) {
        String piece = model.piece(id);
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
            throw new IllegalStateException(modelFile + ": byte piece " + id + " is '" + piece + "', not <0xNN>");
        }
        return Integer.parseInt(piece.substring(3, 5), 16);
    }

    /** Appends pending byte-fallback bytes as UTF-8 (malformed sequences become U+FFFD). */
    private static void flush(ByteArrayOutputStream pendingBytes, StringBuilder text) {
        if (pendingBytes.size() > 0) {
            text.append(new String(pendingBytes.toByteArray(), StandardCharsets.UTF_8));
            pendingBytes.reset();
        }
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocabSize()) {
            throw new IllegalArgumentException(modelFile + ": token id " + id + " is out of range [0, "
                    + vocabSize() + ")");
        }
    }

    /** The pieces of prose, as SentencePiece splits it (no BOS); for inspection and tests. */
    public List<String> pieces(String text) {
        int[] ids = encodeProse(text);
        return Arrays.stream(ids, bos.prefix().length, ids.length).mapToObj(this::token).toList();
    }

    @Override
    public void close() {
        nativeTokenizer.close();
    }

    @Override
    public String toString() {
        return "SentencePieceTokenizer(" + modelFile + ", " + vocabSize() + " ids)";
    }
}
