package dev.routelens.model.tokenizer;

import dev.routelens.core.InputKind;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openscience.cdk.exception.InvalidSmilesException;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

/**
 * The zero-refusal audit of issue 20: reads every molecule of the Debian sets in
 * {@code scripts/debian-smiles-sets.tsv} and {@code ../shared/corpus/molecules.tsv}, keeps those CDK parses, and
 * encodes them with each tokenizer folder given; then checks that every letter of the protein sequences in
 * emboss-test's FASTA files and {@code proteins.fasta} has a piece. Prints counts; changes nothing.
 *
 * <p>Run with {@code scripts/audit-nano-vocab.sh} (the first nano vocabulary from git history, a held-out
 * vocabulary, and model/nano's). Exit status 1 when the last tokenizer refuses a CDK-parsable molecule or a letter.
 */
public final class VocabularyAudit {
    private static final Pattern REFUSED_ATOM = Pattern.compile("atom token '([^']*)'");

    /** One molecule of a set, as its file writes it. */
    record Molecule(String set, String smiles) {
    }

    private VocabularyAudit() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: VocabularyAudit SETS_TSV CORPUS_DIR TOKENIZER_DIR... (label=DIR)");
            System.exit(2);
        }
        Path sets = Path.of(args[0]);
        Path corpus = Path.of(args[1]);
        Map<String, Integer> readPerSet = new TreeMap<>();
        List<Molecule> read = debianMolecules(sets, readPerSet);
        List<String> corpusRows = Files.readAllLines(corpus.resolve("molecules.tsv"));
        for (String row : corpusRows.subList(1, corpusRows.size())) {
            if (!row.isBlank()) {
                read.add(new Molecule("corpus", row.split("\t", 2)[0].strip()));
            }
        }
        readPerSet.put("shared corpus: molecules.tsv", corpusRows.size() - 1);
        List<Molecule> parsable = cdkParsable(read);
        System.out.println("molecule sets:");
        readPerSet.forEach((set, n) -> System.out.println("  " + n + "\t" + set));
        System.out.println("molecules read: " + read.size() + ", CDK-parsable: " + parsable.size()
                + ", not parsable: " + (read.size() - parsable.size()));
        boolean lastClean = true;
        for (int t = 2; t < args.length; t++) {
            String[] labelDir = args[t].split("=", 2);
            lastClean = audit(labelDir[0], Path.of(labelDir[1]), parsable, corpus);
        }
        System.exit(lastClean ? 0 : 1);
    }

    /** Encodes every parsable molecule and every protein letter; true when nothing was refused. */
    private static boolean audit(String label, Path dir, List<Molecule> molecules, Path corpus) throws IOException {
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            Set<String> pieces = new TreeSet<>();
            for (int id = 0; id < tokenizer.vocabSize(); id++) {
                pieces.add(tokenizer.token(id));
            }
            ScienceVocabulary sv = tokenizer.scienceVocabulary();
            int refused = 0;
            Map<String, Integer> refusedAtoms = new TreeMap<>();
            Map<String, String> fellBack = new TreeMap<>();
            for (Molecule m : molecules) {
                try {
                    tokenizer.encode(m.smiles(), InputKind.SMILES);
                    if (sv.bracketAtomFallback()) {
                        for (String atom : SmilesSplitter.split(m.smiles())) {
                            if (atom.startsWith("[") && !pieces.contains(sv.smilesPiece(atom))) {
                                fellBack.put(atom, String.join(" ", BracketAtom.parse(atom).orElseThrow().parts()));
                            }
                        }
                    }
                } catch (IllegalArgumentException e) {
                    refused++;
                    Matcher matcher = REFUSED_ATOM.matcher(e.getMessage());
                    refusedAtoms.merge(matcher.find() ? matcher.group(1) : e.getMessage(), 1, Integer::sum);
                }
            }
            System.out.println();
            System.out.println(label + " (" + dir + ", bracket_atom_fallback " + sv.bracketAtomFallback() + "):");
            System.out.println("  molecules refused: " + refused + " of " + molecules.size());
            if (!refusedAtoms.isEmpty()) {
                System.out.println("  refused at (first missing token, molecules): " + refusedAtoms);
            }
            if (sv.bracketAtomFallback()) {
                System.out.println("  bracket atoms that needed the fallback: " + fellBack.size()
                        + (fellBack.isEmpty() ? "" : " " + fellBack));
            }
            return proteins(tokenizer, corpus) && refused == 0;
        }
    }

    /** The letters of emboss-test's FASTA files and proteins.fasta, each encoded alone; true when all encode. */
    private static boolean proteins(Tokenizer tokenizer, Path corpus) throws IOException {
        List<Path> files = new ArrayList<>();
        Path emboss = Path.of("/usr/share/EMBOSS/test");
        if (Files.isDirectory(emboss)) {
            try (Stream<Path> walk = Files.walk(emboss)) {
                walk.filter(p -> p.toString().matches(".*\\.(fasta|fsa|pep|fa|seq)$")).sorted().forEach(files::add);
            }
        }
        files.add(corpus.resolve("proteins.fasta"));
        int fasta = 0;
        int records = 0;
        TreeSet<Character> letters = new TreeSet<>();
        TreeSet<Character> other = new TreeSet<>();
        for (Path file : files) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (CharacterCodingException e) {
                continue; // a binary index, not a sequence file
            }
            if (!text.startsWith(">")) {
                continue;
            }
            fasta++;
            for (String line : text.split("\n")) {
                if (line.startsWith(">")) {
                    records++;
                    continue;
                }
                for (char c : line.strip().toUpperCase(java.util.Locale.ROOT).toCharArray()) {
                    (c >= 'A' && c <= 'Z' ? letters : other).add(c);
                }
            }
        }
        List<Character> refused = new ArrayList<>();
        for (char letter : letters) {
            try {
                tokenizer.encode(String.valueOf(letter), InputKind.PROTEIN);
            } catch (IllegalArgumentException e) {
                refused.add(letter);
            }
        }
        StringBuilder seen = new StringBuilder();
        letters.forEach(seen::append);
        System.out.println("  proteins: " + fasta + " FASTA files, " + records + " records; letters " + seen
                + "; refused letters " + refused + "; non-letters (gaps, stops, not residues) " + other);
        return refused.isEmpty();
    }

    /** Every molecule of the sets listed in {@code sets}, in file order; {@code perSet} gets each set's count. */
    static List<Molecule> debianMolecules(Path sets, Map<String, Integer> perSet) throws IOException {
        List<Molecule> read = new ArrayList<>();
        for (String[] row : rows(sets)) {
            List<String> smiles = readSet(Path.of(row[2]), row[3], Integer.parseInt(row[4]), Integer.parseInt(row[5]));
            smiles.forEach(s -> read.add(new Molecule(row[1], s)));
            perSet.put(row[0] + ": " + row[1], smiles.size());
        }
        return read;
    }

    /** The molecules CDK's SMILES parser reads; CDK's verdict decides what counts as a molecule. */
    static List<Molecule> cdkParsable(List<Molecule> molecules) {
        SmilesParser cdk = new SmilesParser(SilentChemObjectBuilder.getInstance());
        List<Molecule> parsable = new ArrayList<>();
        for (Molecule m : molecules) {
            try {
                cdk.parseSmiles(m.smiles());
                parsable.add(m);
            } catch (InvalidSmilesException e) {
                // not a molecule to encode: counted by the caller
            }
        }
        return parsable;
    }

    /** The Debian packages the sets come from. */
    static Set<String> packages(Path sets) throws IOException {
        Set<String> packages = new TreeSet<>();
        rows(sets).forEach(row -> packages.add(row[0]));
        return packages;
    }

    private static List<String[]> rows(Path sets) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(sets)) {
            if (!line.startsWith("#") && !line.isBlank()) {
                rows.add(line.split("\t"));
            }
        }
        return rows.subList(1, rows.size()); // the header
    }

    private static List<String> readSet(Path file, String separator, int column, int header) throws IOException {
        List<String> smiles = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = header; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] fields = switch (separator) {
                case "tab" -> line.split("\t");
                case "comma" -> line.split(",");
                case "space" -> line.strip().split("\\s+");
                default -> throw new IllegalArgumentException(file + ": unknown separator " + separator);
            };
            if (fields.length > column) {
                smiles.add(fields[column].strip().replaceAll("^\"|\"$", ""));
            }
        }
        return smiles;
    }
}
