package dev.routelens.samples;

import dev.routelens.core.Labels;
import dev.routelens.core.InputKind;
import java.nio.file.Path;
import org.biojava.nbio.core.exceptions.CompoundNotFoundException;
import org.biojava.nbio.core.sequence.ProteinSequence;
import org.biojava.nbio.core.sequence.compound.AminoAcidCompound;
import org.biojava.nbio.core.sequence.io.GenericFastaHeaderParser;

/**
 * Protein FASTA ({@code .fasta}, {@code .fa}, {@code .faa}): label {@code proteins}, kind protein,
 * id = the accession that BioJava's header parser finds ({@code sp|P15455|CRU4_ARATH ...} gives
 * {@code P15455}; a plain header gives its first word). Records are split here, line by line, so that
 * each error keeps its line number and a bad record costs only itself (a header line that is not valid
 * UTF-8 still starts a record, so the record before it is kept); sequence lines are joined, whitespace
 * dropped and upper-cased. Lines starting with ';' are comments.
 */
final class FastaFormat implements SampleFormat {
    private final GenericFastaHeaderParser<ProteinSequence, AminoAcidCompound> headerParser =
            new GenericFastaHeaderParser<>();

    @Override
    public void read(Path file, SampleCollector out) {
        String name = file.toString();
        Record[] current = {null};
        Utf8Lines.read(file, line -> {
            if (!line.ok()) {
                if (line.text().startsWith(">")) { // a bad header starts a record of its own, lost with it
                    finish(name, current[0], out);
                    current[0] = new Record(line.number(), accession(line.text().substring(1).strip()));
                }
                out.reject(name, line.number(), current[0] == null ? "" : current[0].id, line.problem());
                if (current[0] != null) {
                    current[0].broken = true;
                }
                return;
            }
            String text = line.text();
            if (text.startsWith(">")) {
                finish(name, current[0], out);
                current[0] = new Record(line.number(), accession(text.substring(1).strip()));
            } else if (text.startsWith(";") || text.isBlank()) {
                return;
            } else if (current[0] == null) {
                out.reject(name, line.number(), "", "sequence data before the first '>' header");
            } else {
                current[0].sequence.append(text);
            }
        });
        finish(name, current[0], out);
    }

    private void finish(String file, Record record, SampleCollector out) {
        if (record == null || record.broken) {
            return;
        }
        out.accept(file, record.line, record.id, Labels.PROTEINS, InputKind.PROTEIN.id(), record.sequence.toString(),
                file + "#" + record.id);
    }

    /** The accession BioJava reads from a header, or its first word when it finds none. */
    private String accession(String header) {
        if (header.isEmpty()) {
            return "";
        }
        ProteinSequence holder;
        try {
            holder = new ProteinSequence(""); // carries the accession only; residues are checked by the collector
        } catch (CompoundNotFoundException e) {
            throw new IllegalStateException("BioJava rejected an empty protein sequence", e);
        }
        headerParser.parseHeader(header, holder);
        String id = holder.getAccession() == null ? header : holder.getAccession().getID();
        String[] words = id.strip().split("\\s+", 2);
        return words.length == 0 ? "" : words[0];
    }

    private static final class Record {
        final long line;
        final String id;
        final StringBuilder sequence = new StringBuilder();
        boolean broken;

        Record(long line, String id) {
            this.line = line;
            this.id = id;
        }
    }
}
