package dev.routelens.samples;

import static dev.routelens.samples.TestFiles.assertReason;
import static dev.routelens.samples.TestFiles.errorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.routelens.core.InputKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastaFormatTest {
    @TempDir
    Path dir;

    @Test
    void readsAccessionsAndJoinsSequenceLines() throws Exception {
        Path file = TestFiles.write(dir.resolve("prot.fasta"), """
                ; a comment
                >sp|P15455|CRU4_ARATH 12S seed storage protein CRU4
                MARVSSLLSF
                cltllilfhg

                >tr|A0A0S2ES34|A0A0S2ES34_9RHIZ Ribonuclease HII OS=Aureimonas
                MKTAYIAKQR QISFVKSHFS
                >MYPROT1 a plain header
                ACDEFGHIKLMNPQRSTVWYBZXUO
                """);
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of(), set.errors());
        assertEquals(List.of("P15455", "A0A0S2ES34", "MYPROT1"), TestFiles.ids(set));
        Sample first = set.samples().get(0);
        assertEquals(new Sample("P15455", "proteins", InputKind.PROTEIN, "MARVSSLLSFCLTLLILFHG", file + "#P15455",
                file.toString(), 2), first);
        assertEquals("MKTAYIAKQRQISFVKSHFS", set.samples().get(1).text());
        assertEquals("ACDEFGHIKLMNPQRSTVWYBZXUO", set.samples().get(2).text());
    }

    @Test
    void reportsBadRecordsAtTheirLines() throws Exception {
        Path file = TestFiles.writeMixed(dir.resolve("bad.fa"),
                "MKT\n", // 1: before any header
                ">sp|P00001|A_HUMAN\n", // 2
                "MKTJAY\n", // 3: J is not IUPAC
                ">sp|P00002|B_HUMAN\n", // 4
                "MKT\n", new byte[] {'A', (byte) 0x80, '\n'}, // 5, 6: bad byte in the sequence
                ">sp|P00003|C_HUMAN\n", // 7
                ">sp|P00004|D_HUMAN\n", // 8
                "MK1T\n", // 9
                ">sp|P00005|E_HUMAN\n", // 10
                "mkt\n", // 11
                ">sp|P00005|E2_HUMAN\n", // 12: same accession
                "MKTW\n"); // 13
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("P00005"), TestFiles.ids(set));
        assertEquals("MKT", set.samples().get(0).text());
        assertReason(errorAt(set, name, 1), "sequence data before the first '>' header");
        SampleError letters = errorAt(set, name, 2);
        assertEquals("P00001", letters.id());
        assertReason(letters, "'J' at residue 4");
        assertEquals("P00002", errorAt(set, name, 6).id());
        assertReason(errorAt(set, name, 6), "invalid UTF-8");
        assertReason(errorAt(set, name, 7), "empty text");
        assertReason(errorAt(set, name, 8), "'1' at residue 3");
        assertReason(errorAt(set, name, 12), "duplicate id 'P00005'");
        assertEquals(6, set.errors().size(), set.errors().toString());
    }

    /** A header line that was not UTF-8 used to break the record before it: P1 was lost, unnamed. */
    @Test
    void aBadHeaderLineCostsOnlyItsOwnRecord() throws Exception {
        Path file = TestFiles.writeMixed(dir.resolve("h.fasta"), ">P1\nMKT\n", new byte[] {'>', 'P', (byte) 0xFF, '2', '\n'},
                "MKV\n>P3\nMKW\n");
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of("P1", "P3"), TestFiles.ids(set));
        SampleError bad = errorAt(set, file.toString(), 3);
        assertEquals("P\uFFFD2", bad.id());
        assertReason(bad, "invalid UTF-8");
        assertEquals(1, set.errors().size(), set.errors().toString());
    }

    @Test
    void refusesNucleotideSequencesAndReadsClassicMacLineEnds() throws Exception {
        Path file = TestFiles.write(dir.resolve("mixed.fasta"), ">N1\rACGTACGTAC\rGTACGT\r>P1\rMKTAYIAK\r>short\rGATC\r");
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of("P1", "short"), TestFiles.ids(set), "a 4-letter peptide is not called DNA");
        assertEquals("protein sequence has only the letters A, C, G, T, U and N: it looks like DNA or RNA, not a protein",
                errorAt(set, file.toString(), 1).reason());
    }
}
