package dev.routelens.model.tokenizer;

import dev.routelens.core.InputKind;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Encodes molecules and proteins SciDFM/Galactica style: {@code [BOS, start marker, one id per SMILES
 * atom token or amino-acid letter, end marker]}, the BOS only when the tokenizer's {@link BosPolicy} adds
 * one, as for prose. Every piece is looked up by its exact string; a piece the vocabulary lacks is refused
 * with a message naming it and the input, never mapped to unknown. The one exception is opt-in: a vocabulary
 * with {@code bracket_atom_fallback} encodes a bracket atom it lacks as the pieces of its parts
 * ({@link BracketAtom#parts()}), and refuses it only when a part is missing too.
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

    /**
     * Ids for a SMILES string, {@code [BOS?, start, atom..., end]}: one id per atom token, or, for a bracket
     * atom the vocabulary lacks when {@link ScienceVocabulary#bracketAtomFallback()} is on, one id per part of
     * {@link BracketAtom#parts()}.
     */
    public int[] encodeSmiles(String smiles) {
        List<String> atoms = SmilesSplitter.split(smiles);
        IntStream.Builder ids = IntStream.builder();
        for (int id : bosPrefix) {
            ids.add(id);
        }
        ids.add(marker(vocabulary.smilesStart(), "SMILES", smiles));
        for (String atom : atoms) {
            String piece = vocabulary.smilesPiece(atom);
            Integer id = pieceIds.get(piece);
            if (id != null) {
                ids.add(id);
            } else {
                for (int part : fallback(atom, piece, smiles)) {
                    ids.add(part);
                }
            }
        }
        ids.add(marker(vocabulary.smilesEnd(), "SMILES", smiles));
        return ids.build().toArray();
    }

    /** The ids of the parts of a bracket atom the vocabulary lacks, or the refusal naming it. */
    private int[] fallback(String atom, String piece, String smiles) {
        String missing = "SMILES '" + abbreviate(smiles) + "': atom token '" + atom + "' (piece '" + piece
                + "') is not in the vocabulary of " + vocabularyName;
        if (!atom.startsWith("[")) {
            throw new IllegalArgumentException(missing);
        }
        if (!vocabulary.bracketAtomFallback()) {
            throw new IllegalArgumentException(missing + ", and its " + ScienceVocabulary.FILE_NAME + " does not set "
                    + ScienceVocabulary.BRACKET_ATOM_FALLBACK + " (see model/nano/README-tokenizer.md)");
        }
        BracketAtom parsed = BracketAtom.parse(atom).orElseThrow(() -> new IllegalArgumentException(
                missing + ", and it is no OpenSMILES bracket atom that " + ScienceVocabulary.BRACKET_ATOM_FALLBACK
                + " can split"));
        List<String> parts = parsed.parts();
        int[] ids = new int[parts.size()];
        for (int i = 0; i < ids.length; i++) {
            String partPiece = vocabulary.smilesPiece(parts.get(i));
            Integer id = pieceIds.get(partPiece);
            if (id == null) {
                throw new IllegalArgumentException(missing + ", and its " + ScienceVocabulary.BRACKET_ATOM_FALLBACK
                        + " part '" + parts.get(i) + "' (piece '" + partPiece + "', of " + parts + ") is not in it either");
            }
            ids[i] = id;
        }
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
