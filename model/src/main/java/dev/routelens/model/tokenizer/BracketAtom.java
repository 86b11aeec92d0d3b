package dev.routelens.model.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMILES bracket atom cut into its OpenSMILES fields, for the fallback of a vocabulary that lacks the
 * whole atom token ({@code bracket_atom_fallback} in {@code routelens_tokenizer.json}).
 *
 * <p>{@link #parts()} is the fixed, documented split (model/nano/README-tokenizer.md), in field order:
 * <ul>
 *   <li>isotope as {@code ^} and the mass number: {@code ^13};</li>
 *   <li>the element as a bare bracket atom: {@code [C]}, {@code [Fe]}, {@code [se]}, {@code [*]};</li>
 *   <li>chirality as written: {@code @}, {@code @@}, {@code @TH1};</li>
 *   <li>hydrogen count: {@code H}, {@code H2} … ({@code H1} is written {@code H}; {@code H0} gives no part);</li>
 *   <li>charge with its sign and magnitude: {@code +1}, {@code -1}, {@code +2} ({@code [Fe++]} and {@code [Fe+2]}
 *       both give {@code +2}; a zero charge gives no part);</li>
 *   <li>atom class as written: {@code :1}.</li>
 * </ul>
 * So {@code [CH]} is {@code [C] H}, {@code [NH3+]} is {@code [N] H3 +1} and {@code [13CH3]} is
 * {@code ^13 [C] H3}. None of these strings is a token the SMILES regex of {@link SmilesSplitter} produces
 * from a valid SMILES string other than the element's own bracket atom, which means the same element with no
 * hydrogens and no charge, so no part can be mistaken for a bond, a ring digit or another atom.
 *
 * @param isotope mass number, or 0 when none is written
 * @param element element symbol as written, lower case when aromatic, {@code *} for the wildcard
 * @param chirality chirality as written, or empty
 * @param hydrogens hydrogen count
 * @param charge formal charge
 * @param atomClass atom class digits, or empty
 */
public record BracketAtom(int isotope, String element, String chirality, int hydrogens, int charge,
        String atomClass) {

    /** Element symbols, periodic table order. */
    public static final List<String> ELEMENTS = List.of(("H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca"
            + " Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe"
            + " Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn"
            + " Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og")
            .split(" "));

    /** Aromatic symbols allowed in brackets: OpenSMILES' set plus {@code si} and {@code te}, which CDK and RDKit read. */
    public static final List<String> AROMATIC = List.of("b", "c", "n", "o", "p", "s", "se", "as", "si", "te");

    private static final Set<String> SYMBOLS;
    static {
        List<String> all = new ArrayList<>(ELEMENTS);
        all.addAll(AROMATIC);
        all.add("*");
        SYMBOLS = Set.copyOf(all);
    }

    // [ isotope? symbol chiral? hcount? charge? class? ]; the symbol is checked against SYMBOLS afterwards.
    private static final Pattern GRAMMAR = Pattern.compile(
            "\\[([0-9]{1,3})?([A-Z][a-z]?|[a-z]{1,2}|\\*)(@(?:@|TH[12]|AL[12]|SP[1-3]|TB[0-9]{1,2}|OH[0-9]{1,2})?)?"
            + "(H[0-9]?)?(\\+{1,3}|-{1,3}|[+-][0-9]{1,2})?(:[0-9]+)?]");

    /**
     * Reads a bracket atom token such as {@code [13CH3+]}; empty when the text is not one OpenSMILES bracket
     * atom of a known element. Symbols are read greedily, as OpenSMILES does: {@code [Co]} is cobalt.
     */
    public static Optional<BracketAtom> parse(String token) {
        Matcher m = GRAMMAR.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        String element = m.group(2);
        if (!SYMBOLS.contains(element)) {
            return Optional.empty();
        }
        int isotope = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        String h = m.group(4);
        int hydrogens = h == null ? 0 : h.length() == 1 ? 1 : h.charAt(1) - '0';
        return Optional.of(new BracketAtom(isotope, element, m.group(3) == null ? "" : m.group(3), hydrogens,
                charge(m.group(5)), m.group(6) == null ? "" : m.group(6).substring(1)));
    }

    private static int charge(String text) {
        if (text == null) {
            return 0;
        }
        int sign = text.charAt(0) == '+' ? 1 : -1;
        if (text.length() > 1 && Character.isDigit(text.charAt(1))) {
            return sign * Integer.parseInt(text.substring(1));
        }
        return sign * text.length();
    }

    /** The split, in field order; every entry is one piece content for the SMILES piece format. */
    public List<String> parts() {
        List<String> parts = new ArrayList<>(6);
        if (isotope > 0) {
            parts.add("^" + isotope);
        }
        parts.add("[" + element + "]");
        if (!chirality.isEmpty()) {
            parts.add(chirality);
        }
        if (hydrogens > 0) {
            parts.add(hydrogens == 1 ? "H" : "H" + hydrogens);
        }
        if (charge != 0) {
            parts.add((charge > 0 ? "+" : "-") + Math.abs(charge));
        }
        if (!atomClass.isEmpty()) {
            parts.add(":" + atomClass);
        }
        return parts;
    }
}
