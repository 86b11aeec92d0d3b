package dev.routelens.samples;

import static dev.routelens.samples.TestFiles.assertReason;
import static dev.routelens.samples.TestFiles.errorAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleReaderTest {
    @TempDir
    Path dir;

    @Test
    void missingSourceFailsAtOnceNamingThePath() {
        Path missing = dir.resolve("nowhere/samples.jsonl");
        SampleSourceException e = assertThrows(SampleSourceException.class, () -> SampleReader.read(missing));
        assertEquals("sample source not found: " + missing, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void unsupportedFileAndEmptyDirectoryFailNamingThePath() throws Exception {
        Path pdf = TestFiles.write(dir.resolve("paper.pdf"), "%PDF");
        SampleSourceException unsupported = assertThrows(SampleSourceException.class, () -> SampleReader.read(pdf));
        assertTrue(unsupported.getMessage().contains(pdf.toString()), unsupported.getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        TestFiles.write(empty.resolve("README.md"), "not samples");
        SampleSourceException none = assertThrows(SampleSourceException.class, () -> SampleReader.read(empty));
        assertTrue(none.getMessage().startsWith("no sample files"), none.getMessage());
        assertTrue(none.getMessage().endsWith(empty.toString()), none.getMessage());
    }

    @Test
    void unreadableFileFailsNamingThePath() throws Exception {
        Path file = TestFiles.write(dir.resolve("secret.jsonl"), "{\"id\":\"a\",\"label\":\"x\",\"text\":\"y\"}\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(file)) {
            SampleSourceException e = assertThrows(SampleSourceException.class, () -> SampleReader.read(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        // Root reads any file, but not a directory listed among a source's files: the same refusal.
        Path source = Files.createDirectory(dir.resolve("source"));
        Path notAFile = Files.createDirectory(source.resolve("b.jsonl"));
        SampleSourceException e = assertThrows(SampleSourceException.class,
                () -> SampleReader.readFiles(java.util.List.of(notAFile), source.toString()));
        assertTrue(e.getMessage().contains(notAFile.toString()), e.getMessage());
    }

    @Test
    void mixedDirectoryIsReadInSortedOrderWithIdsUniqueAcrossFiles() throws Exception {
        TestFiles.write(dir.resolve("d_physics.txt"), "Waves interfere.\n");
        TestFiles.write(dir.resolve("c.csv"), "id,label,kind,text\nshared,chemistry,text,Acids donate protons.\n");
        TestFiles.write(dir.resolve("a.jsonl"), "{\"id\":\"shared\",\"label\":\"biology\",\"text\":\"Cells.\"}\n");
        TestFiles.write(dir.resolve("b.fasta"), ">sp|P12345|X_HUMAN\nMKT\n");
        TestFiles.write(dir.resolve("e.smi"), "CCO ethanol\n");
        TestFiles.write(dir.resolve("f.tsv"), "smiles\tid\nCCN\tethylamine\n");
        TestFiles.write(dir.resolve(".hidden.jsonl"), "not even json\n");
        TestFiles.write(dir.resolve("SOURCES.md"), "# not a sample file\n");
        Files.createDirectory(dir.resolve("nested.jsonl"));
        SampleSet set = SampleReader.read(dir);
        assertEquals(List.of("shared", "P12345", "d_physics-1", "ethanol", "ethylamine"), TestFiles.ids(set));
        assertEquals("biology", set.samples().get(0).label(), "a.jsonl is read first and wins the id");
        assertReason(errorAt(set, dir.resolve("c.csv").toString(), 2), "duplicate id 'shared' (first at "
                + dir.resolve("a.jsonl") + ":1)");
        assertEquals(dir.toString(), set.source());
    }
}
