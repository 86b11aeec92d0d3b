package dev.routelens.model.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a SMILES string into atom-level tokens with the standard regex of Schwaller et al. (2019,
 * Molecular Transformer): bracket atoms ({@code [C@@H]}), {@code Br}/{@code Cl}, organic-subset and
 * aromatic atoms, ring-bond digits and {@code %nn}, bonds, branches, dots and the rest of the grammar.
 * The tokens re-joined always equal the input; a string that does not split that way is refused.
 */
public final class SmilesSplitter {

    /** The atom-token regex; {@code scripts/build-nano-tokenizer.sh} uses the same one. */
    public static final Pattern ATOM_TOKEN = Pattern.compile(
            "(\\[[^\\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\\(|\\)|\\.|=|#|-|\\+|\\\\|\\/|:|~|@|\\?|>|\\*|\\$|\\%[0-9]{2}|[0-9])");

    private SmilesSplitter() {
    }

    /** The atom-level tokens of {@code smiles}, in order. */
    public static List<String> split(String smiles) {
        if (smiles == null || smiles.isEmpty()) {
            throw new IllegalArgumentException("empty SMILES");
        }
        List<String> tokens = new ArrayList<>();
        Matcher matcher = ATOM_TOKEN.matcher(smiles);
        int position = 0;
        while (position < smiles.length()) {
            matcher.region(position, smiles.length());
            if (!matcher.lookingAt()) {
                int codePoint = smiles.codePointAt(position);
                throw new IllegalArgumentException("SMILES '" + ScienceEncoder.abbreviate(smiles)
                        + "' does not split into atom tokens: '" + Character.toString(codePoint)
                        + "' at position " + position + " is no SMILES token");
            }
            tokens.add(matcher.group());
            position = matcher.end();
        }
        if (!String.join("", tokens).equals(smiles)) { // holds by construction; the contract callers rely on
            throw new IllegalStateException("SMILES '" + smiles + "' tokens do not re-join to the input");
        }
        return tokens;
    }
}
