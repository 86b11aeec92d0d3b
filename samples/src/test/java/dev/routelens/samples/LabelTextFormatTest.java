package dev.routelens.samples;

import static dev.routelens.samples.TestFiles.assertReason;
import static dev.routelens.samples.TestFiles.errorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.routelens.core.InputKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelTextFormatTest {
    @TempDir
    Path dir;

    @Test
    void readsOneItemPerLineWithKindFromTheLabel() throws Exception {
        TestFiles.write(dir.resolve("physics.txt"), "Light bends near mass.\n\nEntropy grows.\r\n");
        Path molecules = TestFiles.write(dir.resolve("molecules.txt"), "CCO\nC1CC\nc1ccncc1\n");
        Path proteins = TestFiles.write(dir.resolve("proteins.txt"), "MKTAYIAK\nMKT*\n  acde fgh \n");
        TestFiles.write(dir.resolve("notes.md"), "ignored: not a sample file\n");
        SampleSet set = SampleReader.read(dir);

        assertEquals(List.of("molecules-1", "molecules-3", "physics-1", "physics-3", "proteins-1", "proteins-3"),
                TestFiles.ids(set));
        assertEquals(Map.of("physics", 2, "molecules", 2, "proteins", 2), set.countsByLabel());
        Sample physics = set.samples().get(3);
        assertEquals(InputKind.TEXT, physics.kind());
        assertEquals("Entropy grows.", physics.text(), "\\r\\n endings are trimmed");
        assertEquals(InputKind.SMILES, set.samples().get(0).kind());
        assertEquals(InputKind.PROTEIN, set.samples().get(4).kind());
        assertEquals("ACDEFGH", set.samples().get(5).text());
        assertReason(errorAt(set, molecules.toString(), 2), "invalid SMILES");
        assertEquals("molecules-2", errorAt(set, molecules.toString(), 2).id());
        assertReason(errorAt(set, proteins.toString(), 2), "'*' at residue 4");
        assertEquals(2, set.errors().size());
    }

    @Test
    void acceptsExactlyOneMillionCharactersAndRejectsOneMore() throws Exception {
        int max = Utf8Lines.MAX_LINE_CHARS;
        Path file = TestFiles.write(dir.resolve("physics.txt"),
                "a".repeat(max) + "\n" + "b".repeat(max + 1) + "\n" + "ä".repeat(max + 1) + "\nshort\n");
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of("physics-1", "physics-4"), TestFiles.ids(set));
        assertEquals(max, set.samples().get(0).text().length());
        assertReason(errorAt(set, file.toString(), 2), "line longer than 1,000,000 characters");
        assertReason(errorAt(set, file.toString(), 3), "line longer than 1,000,000 characters");
    }

    @Test
    void oneBadLineDoesNotLoseTheFile() throws Exception {
        Path file = TestFiles.writeMixed(dir.resolve("biology.txt"),
                "\uFEFFCells divide.\n", new byte[] {'b', 'a', 'd', (byte) 0xFF, (byte) 0xFE, '\n'},
                "Genes mutate.\n", "tab\tand\u001Bescape\n");
        SampleSet set = SampleReader.read(file);
        assertEquals(List.of("biology-1", "biology-3"), TestFiles.ids(set));
        assertEquals("Cells divide.", set.samples().get(0).text(), "the byte-order mark is dropped");
        SampleError bad = errorAt(set, file.toString(), 2);
        assertReason(bad, "invalid UTF-8 (malformed byte sequence at byte 4 of the line)");
        assertReason(errorAt(set, file.toString(), 4), "control character U+001B at character 8");
    }

    /** "Physics", " physics" and "PHYSICS" used to be three classes, each with its own colour. */
    @Test
    void labelsThatDifferInCaseOrSpacingAreOneClass() throws Exception {
        TestFiles.write(dir.resolve("Physics.txt"), "Light bends.\n");
        TestFiles.write(dir.resolve("more.jsonl"), """
                {"id":"a","label":" PHYSICS ","text":"Mass curves space."}
                {"id":"b","label":"cell\u00a0 biology","text":"Cells divide."}
                {"id":"c","label":"Cell Biology","text":"Genes mutate."}
                {"id":"d","label":"phys\\tics","text":"a tab in a label"}
                """);
        SampleSet set = SampleReader.read(dir);
        assertEquals(Map.of("physics", 2, "cell biology", 2), set.countsByLabel());
        assertEquals(List.of("physics", "cell biology"), set.labels());
        assertReason(errorAt(set, dir.resolve("more.jsonl").toString(), 4), "the label has a control character (U+0009)");
        assertEquals(2, SampleSelection.labels(set, List.of("Cell Biology")).size());
    }
}
