package dev.routelens.samples;

import static dev.routelens.samples.TestFiles.assertReason;
import static dev.routelens.samples.TestFiles.errorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsvFormatTest {
    @TempDir
    Path dir;

    /** A stray tab used to push values out of their columns, and extra fields were dropped unseen. */
    @Test
    void rejectsRowsWhoseFieldCountDiffersFromTheHeader() throws Exception {
        Path file = TestFiles.write(dir.resolve("m.tsv"), "SMILES\tsource\tid\tnotes\n"
                + "CCO\tesol\tethanol\tany note\n" // 2: an unknown named column is ignored
                + "CCN\tesol\tethylamine\tnote\textra\n" // 3: one field too many
                + "CCC\tpropane\n"); // 4: 'propane' would have become the source
        SampleSet set = SampleReader.read(file);
        String name = file.toString();
        assertEquals(List.of("ethanol"), TestFiles.ids(set));
        assertEquals("expected 4 tab-separated fields (SMILES, source, id, notes), found 5", errorAt(set, name, 3).reason());
        assertEquals("ethylamine", errorAt(set, name, 3).id());
        assertReason(errorAt(set, name, 4), "found 2");
        assertEquals(2, set.errors().size(), set.errors().toString());
    }

    @Test
    void aBadHeaderSaysHowManyLinesWereNotRead() throws Exception {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            rows.append("C".repeat(i + 1)).append("\tm").append(i).append('\n');
        }
        Path headless = TestFiles.write(dir.resolve("headless.tsv"), rows.toString());
        SampleSet set = SampleReader.read(headless);
        assertEquals(List.of(), set.samples());
        assertEquals(List.of(new SampleError(headless.toString(), 1, "",
                "TSV header lacks a 'smiles' column; the 19 non-blank lines below it were not read")), set.errors());
        Path twice = TestFiles.write(dir.resolve("twice.tsv"), "smiles\tSMILES\tid\nCCO\tCCN\tm1\n");
        assertReason(errorAt(SampleReader.read(twice), twice.toString(), 1),
                "the TSV header names column 'SMILES' twice; the 1 non-blank line below it was not read");
    }
}
