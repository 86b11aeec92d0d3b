package dev.routelens.samples;

import static dev.routelens.samples.TestFiles.assertReason;
import static dev.routelens.samples.TestFiles.errorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.routelens.core.InputKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmilesFormatTest {
    @TempDir
    Path dir;

    @Test
    void readsSmiWithOptionalNames() throws Exception {
        Path file = TestFiles.write(dir.resolve("set.smi"), """
                SMILES Name
                CN(C)Cc1n-2c(nn1)CN=C(c1ccccc1)c1cc(Cl)ccc12 Adinazolam
                # a comment
                c1ccccc1
                C1CC broken ring
                c1cccc1 not kekulisable
                CC(=O)Oc1ccccc1C(=O)O\taspirin tablets
                """);
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("Adinazolam", "set-4", "aspirin tablets"), TestFiles.ids(set));
        assertEquals(new Sample("set-4", "molecules", InputKind.SMILES, "c1ccccc1", name + ":4", name, 4), set.samples().get(1));
        assertReason(errorAt(set, name, 5), "invalid SMILES");
        assertEquals("broken ring", errorAt(set, name, 5).id());
        assertReason(errorAt(set, name, 6), "kekul");
        assertEquals(2, set.errors().size());
    }

    @Test
    void readsTsvWithASmilesColumn() throws Exception {
        Path file = TestFiles.write(dir.resolve("molecules.tsv"), """
                smiles\tsource\tid
                OCC3OC(OCC2OC(OC(C#N)c1ccccc1)C(O)C(O)C2O)C(O)C(O)C3O\tesol\tAmigdalin
                CCCC=C\tesol\t1-Pentene\s
                c1ccsc1\t\t
                C(C\ttox21\tTOX1
                CCO
                """);
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("Amigdalin", "1-Pentene", "molecules-4"), TestFiles.ids(set));
        assertEquals("esol", set.samples().get(0).source());
        assertEquals(name + ":4", set.samples().get(2).source());
        set.samples().forEach(sample -> assertEquals("molecules", sample.label()));
        assertReason(errorAt(set, name, 5), "invalid SMILES");
        assertEquals("TOX1", errorAt(set, name, 5).id());
        assertReason(errorAt(set, name, 6), "expected 3 tab-separated fields (smiles, source, id), found 1");
        assertEquals(2, set.errors().size());
    }

    @Test
    void reportsATsvWithoutSmilesColumn() throws Exception {
        Path file = TestFiles.write(dir.resolve("x.tsv"), "name\tid\nCCO\te\n");
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of(), set.samples());
        assertReason(errorAt(set, file.toString(), 1), "lacks a 'smiles' column");
    }

    /** CDK reads an unknown bracket symbol as a placeholder atom: "[Xx]" was accepted as a molecule. */
    @Test
    void refusesAtomsThatNameNoElementAndMoleculesWithoutAtoms() throws Exception {
        Path file = TestFiles.write(dir.resolve("odd.smi"), "[Xx] unknown\nC* wildcard\n. nothing\n[Og] oganesson\n"
                + "CCO\tethanol\tthird column\n");
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("wildcard", "oganesson"), TestFiles.ids(set));
        assertEquals("invalid SMILES: a bracket atom names no element (only element symbols and the wildcard * are allowed)",
                errorAt(set, name, 1).reason());
        assertEquals("invalid SMILES: no atoms", errorAt(set, name, 3).reason());
        SampleError third = errorAt(set, name, 5);
        assertEquals("ethanol", third.id());
        assertReason(third, "more than two tab-separated fields");
    }
}
