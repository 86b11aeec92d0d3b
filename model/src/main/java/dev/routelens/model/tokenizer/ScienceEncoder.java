package dev.routelens.model.tokenizer;

import dev.routelens.core.InputKind;
import java.util.List;
import java.util.Map;

/**
 * Encodes molecules and proteins SciDFM/Galactica style: {@code [BOS, start marker, one id per SMILES
 * atom token or amino-acid letter, end marker]}, the BOS only when the tokenizer's {@link BosPolicy} adds
 * one, as for prose. Every piece is looked up by its exact string; a piece the vocabulary lacks is refused
 * with a message naming it and the input, never mapped to unknown.
 */
public final class ScienceEncoder {

    private static final int SHOWN_INPUT_CHARS = 60;

    private final ScienceVocabulary vocabulary;
    private final Map<String, Integer> pieceIds;
    private final int[] bosPrefix; // [0 or 1]
    private final String vocabularyName;

    /**
     * @param vocabulary markers and piece formats
     * @param pieceIds exact piece string to id, added tokens included
     * @param bos whether and which BOS is put first
     * @param vocabularyName where the vocabulary came from, for error messages
     */
    public ScienceEncoder(ScienceVocabulary vocabulary, Map<String, Integer> pieceIds, BosPolicy bos,
            String vocabularyName) {
        this.vocabulary = vocabulary;
        this.pieceIds = Map.copyOf(pieceIds);
        this.bosPrefix = bos.prefix();
        this.vocabularyName = vocabularyName;
    }

    public ScienceVocabulary vocabulary() {
        return vocabulary;
    }

    /**
     * The ids of {@code text} as {@code kind}: molecules and proteins here, prose through the
     * tokenizer's own subword model ({@code prose}). Refuses a null text or kind.
     */
    public int[] encode(String text, dev.routelens.core.InputKind kind, java.util.function.Function<String, int[]> prose) {
        if (text == null || kind == null) {
            throw new IllegalArgumentException("encode needs a text and a kind");
        }
        return switch (kind) {
            case SMILES -> encodeSmiles(text);
            case PROTEIN -> encodeProtein(text);
            case TEXT -> prose.apply(text);
        };
    }

    /** Ids for a SMILES string, {@code [BOS?, start, atom..., end]}. */
    public int[] encodeSmiles(String smiles) {
        List<String> atoms = SmilesSplitter.split(smiles);
        int b = bosPrefix.length;
        int[] ids = new int[b + atoms.size() + 2]; // [T]
        System.arraycopy(bosPrefix, 0, ids, 0, b);
        ids[b] = marker(vocabulary.smilesStart(), "SMILES", smiles);
        for (int i = 0; i < atoms.size(); i++) {
            String piece = vocabulary.smilesPiece(atoms.get(i));
            Integer id = pieceIds.get(piece);
            if (id == null) {
                throw new IllegalArgumentException("SMILES '" + abbreviate(smiles) + "': atom token '" + atoms.get(i)
                        + "' (piece '" + piece + "') is not in the vocabulary of " + vocabularyName);
            }
            ids[b + 1 + i] = id;
        }
        ids[ids.length - 1] = marker(vocabulary.smilesEnd(), "SMILES", smiles);
        return ids;
    }

    /** Ids for an amino-acid sequence of upper-case IUPAC letters, {@code [BOS?, start, letter..., end]}. */
    public int[] encodeProtein(String sequence) {
        if (sequence == null || sequence.isEmpty()) {
            throw new IllegalArgumentException("empty protein sequence");
        }
        int b = bosPrefix.length;
        int[] ids = new int[b + sequence.length() + 2]; // [T]
        System.arraycopy(bosPrefix, 0, ids, 0, b);
        ids[b] = marker(vocabulary.proteinStart(), "protein", sequence);
        for (int i = 0; i < sequence.length(); i++) {
            char letter = sequence.charAt(i);
            if (letter < 'A' || letter > 'Z') {
                throw new IllegalArgumentException("protein '" + abbreviate(sequence) + "': '"
                        + Character.toString(sequence.codePointAt(i)) + "' at position " + i
                        + " is not an upper-case amino-acid letter");
            }
            String piece = vocabulary.proteinPiece(letter);
            Integer id = pieceIds.get(piece);
            if (id == null) {
                throw new IllegalArgumentException("protein '" + abbreviate(sequence) + "': amino acid '" + letter
                        + "' (piece '" + piece + "') is not in the vocabulary of " + vocabularyName);
            }
            ids[b + 1 + i] = id;
        }
        ids[ids.length - 1] = marker(vocabulary.proteinEnd(), "protein", sequence);
        return ids;
    }

    private int marker(String marker, String inputName, String input) {
        Integer id = pieceIds.get(marker);
        if (id == null) {
            throw new IllegalArgumentException(inputName + " '" + abbreviate(input) + "': marker token '" + marker
                    + "' is not in the vocabulary of " + vocabularyName);
        }
        return id;
    }

    /** The input as shown in messages: long sequences are cut. */
    static String abbreviate(String input) {
        return input.length() <= SHOWN_INPUT_CHARS ? input : input.substring(0, SHOWN_INPUT_CHARS) + "…";
    }
}
