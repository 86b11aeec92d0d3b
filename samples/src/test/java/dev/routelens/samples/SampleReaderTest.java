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

    /** Creates a named pipe, or skips visibly where mkfifo is missing. */
    private static Path fifo(Path path) throws Exception {
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            throw e;
        }
        Assumptions.assumeTrue(mkfifo.waitFor() == 0 && Files.exists(path), "mkfifo did not make " + path);
        return path;
    }

    /** Issue "Reliability, round two" 3: a named pipe was reported as "not found" (and opening one blocks). */
    @Test
    void aNamedPipeOrDeviceIsRefusedSayingWhatItIs() throws Exception {
        Path pipe = fifo(dir.resolve("samples.csv"));
        SampleSourceException e = assertThrows(SampleSourceException.class, () -> SampleReader.read(pipe));
        assertEquals("sample source " + pipe + " is not a regular file (a named pipe; save the samples to a file and pass that)",
                e.getMessage());
        Path devNull = Path.of("/dev/null");
        if (Files.exists(devNull)) {
            assertEquals("sample source /dev/null is not a regular file (a character device)",
                    assertThrows(SampleSourceException.class, () -> SampleReader.read(devNull)).getMessage());
        }
        Path socketFile = dir.resolve("s.jsonl");
        try (var socket = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            socket.bind(java.net.UnixDomainSocketAddress.of(socketFile));
            assertTrue(assertThrows(SampleSourceException.class, () -> SampleReader.read(socketFile)).getMessage()
                    .endsWith("is not a regular file (a socket)"));
        }
    }

    @Test
    void aDirectoryWithAPipeOrABrokenLinkAmongItsSampleFilesIsRefusedNotSkipped() throws Exception {
        Path source = Files.createDirectory(dir.resolve("source"));
        TestFiles.write(source.resolve("a.jsonl"), "{\"id\":\"a\",\"label\":\"physics\",\"text\":\"x\"}\n");
        Path link = Files.createSymbolicLink(source.resolve("b.jsonl"), dir.resolve("gone.jsonl"));
        SampleSourceException broken = assertThrows(SampleSourceException.class, () -> SampleReader.read(source));
        assertEquals("sample file " + link + " is not a regular file (a broken symbolic link to " + dir.resolve("gone.jsonl")
                + ")", broken.getMessage());
        assertEquals("sample source not found: " + link + " (a broken symbolic link to " + dir.resolve("gone.jsonl") + ")",
                assertThrows(SampleSourceException.class, () -> SampleReader.read(link)).getMessage());
        Files.delete(link);
        Path pipe = fifo(source.resolve("c.jsonl"));
        assertTrue(assertThrows(SampleSourceException.class, () -> SampleReader.read(source)).getMessage()
                .startsWith("sample file " + pipe + " is not a regular file (a named pipe"));
    }

    /** An empty file among the sources used to vanish without a word: a class could go missing. */
    @Test
    void aFileWithNoRecordsIsOneErrorOnLineZero() throws Exception {
        TestFiles.write(dir.resolve("biology.txt"), "Cells divide.\n");
        Path empty = TestFiles.write(dir.resolve("physics.txt"), "");
        Path blank = TestFiles.write(dir.resolve("c.jsonl"), "\n  \n");
        Path header = TestFiles.write(dir.resolve("d.csv"), "id,label,kind,text\n");
        SampleSet set = SampleReader.read(dir);
        assertEquals(List.of("biology-1"), TestFiles.ids(set));
        assertEquals(List.of(
                new SampleError(blank.toString(), 0, "", "no samples in this file: it has no records (only blank lines, a header or comments)"),
                new SampleError(header.toString(), 0, "", "no samples in this file: it has no records (only blank lines, a header or comments)"),
                new SampleError(empty.toString(), 0, "", "no samples in this file: it is empty")), set.errors());
    }
}
