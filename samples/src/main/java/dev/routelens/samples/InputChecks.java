package dev.routelens.samples;

import dev.routelens.core.InputKind;
import java.util.Locale;
import org.openscience.cdk.exception.InvalidSmilesException;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IPseudoAtom;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

/**
 * What makes a SMILES string or a protein sequence valid input, in one place for the sample readers and for
 * {@code probe --kind smiles|protein}: CDK must read a SMILES as a molecule, and a protein must be IUPAC
 * amino-acid letters and not a nucleotide sequence. Holds one CDK parser (not thread-safe: one instance a thread).
 */
public final class InputChecks {
    /** IUPAC one-letter amino-acid codes: the 20 standard ones plus B, Z, X, U (Sec) and O (Pyl). */
    static final String PROTEIN_ALPHABET = "ACDEFGHIKLMNPQRSTVWYBZXUO";

    private final SmilesParser smilesParser = new SmilesParser(SilentChemObjectBuilder.getInstance());

    /** How a record of {@code kind} is read: SMILES stripped, protein sequences without whitespace, upper case. */
    public static String normalize(InputKind kind, String text) {
        return switch (kind) {
            case TEXT -> text;
            case SMILES -> text.strip();
            case PROTEIN -> text.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        };
    }

    /**
     * Why {@code text} (already {@link #normalize normalized}) is not a valid input of {@code kind}, or null
     * when it is: the reason the sample readers give for a rejected record.
     */
    public String problem(InputKind kind, String text) {
        return switch (kind) {
            case TEXT -> null;
            case SMILES -> smilesProblem(text);
            case PROTEIN -> proteinProblem(text);
        };
    }

    /**
     * Why CDK cannot read {@code smiles}, or why what it read is not a molecule: no atoms (".") or an
     * element symbol that does not exist ("[Xx]", which CDK reads as a placeholder atom; the SMILES
     * wildcard '*' is allowed). Null when it is fine.
     */
    private String smilesProblem(String smiles) {
        for (int i = 0; i < smiles.length(); i++) {
            if (Character.isWhitespace(smiles.charAt(i))) {
                return "invalid SMILES: whitespace at character " + (i + 1);
            }
        }
        IAtomContainer molecule;
        try {
            molecule = smilesParser.parseSmiles(smiles);
        } catch (InvalidSmilesException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("").strip();
            message = message.endsWith(":") ? message.substring(0, message.length() - 1) : message;
            return "invalid SMILES: " + (message.isEmpty() ? "CDK could not parse it" : message);
        } catch (RuntimeException e) {
            return "invalid SMILES: CDK could not parse it";
        }
        if (molecule.getAtomCount() == 0) {
            return "invalid SMILES: no atoms";
        }
        long placeholders = 0;
        for (IAtom atom : molecule.atoms()) {
            if (atom instanceof IPseudoAtom || atom.getAtomicNumber() == null || atom.getAtomicNumber() == 0) {
                placeholders++;
            }
        }
        long wildcards = smiles.chars().filter(c -> c == '*').count();
        if (placeholders > wildcards) {
            return "invalid SMILES: a bracket atom names no element (only element symbols and the wildcard * are allowed)";
        }
        return null;
    }

    /** Shortest sequence the nucleotide check applies to: below it, an all-ACGTUN peptide is plausible. */
    static final int NUCLEOTIDE_CHECK_LENGTH = 10;

    /**
     * Letters outside {@link #PROTEIN_ALPHABET}, or a sequence made only of A, C, G, T, U and N (DNA or
     * RNA, which would pass the letter check and be read as a nonsense protein); {@code sequence} is
     * already upper case without whitespace. Null when it is fine.
     */
    static String proteinProblem(String sequence) {
        for (int i = 0; i < sequence.length(); i++) {
            char c = sequence.charAt(i);
            if (PROTEIN_ALPHABET.indexOf(c) < 0) {
                return String.format(Locale.ROOT,
                        "protein sequence has '%s' at residue %d, outside the IUPAC alphabet %s",
                        new String(Character.toChars(sequence.codePointAt(i))), i + 1, PROTEIN_ALPHABET);
            }
        }
        if (sequence.length() >= NUCLEOTIDE_CHECK_LENGTH && sequence.chars().allMatch(c -> "ACGTUN".indexOf(c) >= 0)) {
            return "protein sequence has only the letters A, C, G, T, U and N: it looks like DNA or RNA, not a protein";
        }
        return null;
    }
}
