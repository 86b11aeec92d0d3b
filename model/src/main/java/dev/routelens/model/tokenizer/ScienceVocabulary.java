package dev.routelens.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * How molecules and proteins appear in a vocabulary: the marker tokens that wrap them and the piece
 * each SMILES atom token or amino-acid letter maps to.
 *
 * <p>A piece format contains {@code %s} exactly once, replaced by the atom or letter: {@code "%s"}
 * (the default) looks up {@code Cl} itself; {@code "⟨%s⟩"} looks up {@code ⟨Cl⟩}. Read from the optional
 * {@code routelens_tokenizer.json} in a model directory; keys are the snake_case component names, and
 * absent keys take the defaults.
 *
 * @param smilesStart marker before a molecule, default {@code [START_I_SMILES]}
 * @param smilesEnd marker after a molecule, default {@code [END_I_SMILES]}
 * @param proteinStart marker before a protein, default {@code [START_AMINO]}
 * @param proteinEnd marker after a protein, default {@code [END_AMINO]}
 * @param smilesPieceFormat piece of one SMILES atom token
 * @param proteinPieceFormat piece of one amino-acid letter
 * @param bracketAtomFallback whether a bracket atom the vocabulary lacks is encoded as its parts
 *     ({@link BracketAtom#parts()}, each through {@code smilesPieceFormat}) instead of refused; key
 *     {@code bracket_atom_fallback}, a JSON boolean, absent means false. A part the vocabulary lacks is still
 *     refused.
 */
public record ScienceVocabulary(
        String smilesStart,
        String smilesEnd,
        String proteinStart,
        String proteinEnd,
        String smilesPieceFormat,
        String proteinPieceFormat,
        boolean bracketAtomFallback) {

    /** File name in a model directory. */
    public static final String FILE_NAME = "routelens_tokenizer.json";

    /** SciDFM/Galactica-style markers, atoms and letters as themselves. */
    public static final ScienceVocabulary DEFAULT = new ScienceVocabulary(
            "[START_I_SMILES]", "[END_I_SMILES]", "[START_AMINO]", "[END_AMINO]", "%s", "%s", false);

    /** The JSON key of {@link #bracketAtomFallback}. */
    public static final String BRACKET_ATOM_FALLBACK = "bracket_atom_fallback";

    private static final List<String> KEYS = List.of("smiles_start", "smiles_end", "protein_start",
            "protein_end", "smiles_piece_format", "protein_piece_format", BRACKET_ATOM_FALLBACK);
    private static final ObjectMapper JSON = new ObjectMapper();

    public ScienceVocabulary {
        nonBlank("smiles_start", smilesStart);
        nonBlank("smiles_end", smilesEnd);
        nonBlank("protein_start", proteinStart);
        nonBlank("protein_end", proteinEnd);
        checkFormat("smiles_piece_format", smilesPieceFormat);
        checkFormat("protein_piece_format", proteinPieceFormat);
    }

    /** Without the bracket-atom fallback, as every checkpoint that does not opt in. */
    public ScienceVocabulary(String smilesStart, String smilesEnd, String proteinStart, String proteinEnd,
            String smilesPieceFormat, String proteinPieceFormat) {
        this(smilesStart, smilesEnd, proteinStart, proteinEnd, smilesPieceFormat, proteinPieceFormat, false);
    }

    /** The same markers and formats with the bracket-atom fallback on or off. */
    public ScienceVocabulary withBracketAtomFallback(boolean on) {
        return new ScienceVocabulary(smilesStart, smilesEnd, proteinStart, proteinEnd, smilesPieceFormat,
                proteinPieceFormat, on);
    }

    private static void nonBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must be a non-blank token");
        }
    }

    private static void checkFormat(String key, String format) {
        if (format == null) {
            throw new IllegalArgumentException(key + " is missing");
        }
        int at = format.indexOf("%s");
        boolean once = at >= 0 && format.indexOf('%', at + 2) < 0 && format.indexOf('%') == at;
        if (!once) {
            throw new IllegalArgumentException(key + " must contain %s exactly once and no other '%', got '"
                    + format + "'");
        }
    }

    /** The vocabulary piece of one SMILES atom token, e.g. {@code Cl}. */
    public String smilesPiece(String atomToken) {
        return smilesPieceFormat.replace("%s", atomToken);
    }

    /** The vocabulary piece of one amino-acid letter. */
    public String proteinPiece(char letter) {
        return proteinPieceFormat.replace("%s", String.valueOf(letter));
    }

    /** The atom token or letter a piece stands for (for labels), or the piece itself when it is neither. */
    public String unwrap(String piece) {
        for (String format : new String[] {smilesPieceFormat, proteinPieceFormat}) {
            int at = format.indexOf("%s");
            String prefix = format.substring(0, at);
            String suffix = format.substring(at + 2);
            if (piece.length() > prefix.length() + suffix.length() && piece.startsWith(prefix)
                    && piece.endsWith(suffix) && !(prefix.isEmpty() && suffix.isEmpty())) {
                return piece.substring(prefix.length(), piece.length() - suffix.length());
            }
        }
        return piece;
    }

    /**
     * Reads {@code routelens_tokenizer.json} from a model directory, or returns {@link #DEFAULT} when the
     * file is absent. Errors name the file.
     */
    public static ScienceVocabulary read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return DEFAULT;
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Builds from a JSON object; absent keys take the defaults, unknown keys are refused. */
    public static ScienceVocabulary fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException("unknown key '" + name + "' (expected one of " + KEYS + ")");
            }
        }
        return new ScienceVocabulary(
                text(root, "smiles_start", DEFAULT.smilesStart),
                text(root, "smiles_end", DEFAULT.smilesEnd),
                text(root, "protein_start", DEFAULT.proteinStart),
                text(root, "protein_end", DEFAULT.proteinEnd),
                text(root, "smiles_piece_format", DEFAULT.smilesPieceFormat),
                text(root, "protein_piece_format", DEFAULT.proteinPieceFormat),
                flag(root, BRACKET_ATOM_FALLBACK));
    }

    /** A JSON boolean, false when absent; anything else is refused naming the key. */
    private static boolean flag(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + node);
        }
        return node.booleanValue();
    }

    private static String text(JsonNode root, String key, String fallback) {
        JsonNode node = root.get(key);
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string, got " + node);
        }
        return node.textValue();
    }

    /** The JSON form {@link #fromJson} reads. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("smiles_start", smilesStart);
        root.put("smiles_end", smilesEnd);
        root.put("protein_start", proteinStart);
        root.put("protein_end", proteinEnd);
        root.put("smiles_piece_format", smilesPieceFormat);
        root.put("protein_piece_format", proteinPieceFormat);
        if (bracketAtomFallback) {
            root.put(BRACKET_ATOM_FALLBACK, true);
        }
        return root;
    }
}
