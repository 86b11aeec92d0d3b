package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmilesSplitterTest {

    @Test
    void splitsAtomsBondsRingsAndBranches() {
        assertEquals(List.of("C", "[C@@H]", "(", "O", ")", "c", "1", "c", "c", "c", "(", "Cl", ")", "c", "c", "1", "Br"),
                SmilesSplitter.split("C[C@@H](O)c1ccc(Cl)cc1Br"));
        assertEquals(List.of("C", "1", "C", "C", "%10", "C", "C", "1", "C", "%10"),
                SmilesSplitter.split("C1CC%10CC1C%10"));
        assertEquals(List.of("C", "/", "C", "=", "C", "\\", "C"), SmilesSplitter.split("C/C=C\\C"));
        assertEquals(List.of("[Na+]", ".", "[Cl-]"), SmilesSplitter.split("[Na+].[Cl-]"));
        assertEquals(List.of("N", "#", "N"), SmilesSplitter.split("N#N"));
    }

    @Test
    void twoLetterHalogensAreOneToken() {
        assertEquals(List.of("Br", "C", "Cl"), SmilesSplitter.split("BrCCl"));
        assertEquals(List.of("c", "1", "c", "c", "c", "c", "c", "1", "B"), SmilesSplitter.split("c1ccccc1B"));
        assertEquals(List.of("Cl", "C"), SmilesSplitter.split("ClC"));
    }

    @Test
    void refusesWhatIsNoSmilesToken() {
        IllegalArgumentException space = assertThrows(IllegalArgumentException.class,
                () -> SmilesSplitter.split("CC O"));
        assertTrue(space.getMessage().contains("'CC O'") && space.getMessage().contains("position 2"),
                space.getMessage());
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> SmilesSplitter.split("CXC"));
        assertTrue(x.getMessage().contains("'X' at position 1"), x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SmilesSplitter.split(""));
        assertThrows(IllegalArgumentException.class, () -> SmilesSplitter.split("C[NH4+"));
    }

    @Test
    void corpusMoleculesRejoinExactly() throws IOException {
        List<String> rows = Files.readAllLines(TestPaths.corpusFile("molecules.tsv"));
        int checked = 0;
        for (String row : rows.subList(1, rows.size())) {
            String smiles = row.split("\t", 2)[0];
            assertEquals(smiles, String.join("", SmilesSplitter.split(smiles)));
            checked++;
        }
        assertTrue(checked > 1000, "too few molecules checked: " + checked);
    }
}
