package dev.routelens.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedCorpusTest {
    @TempDir
    Path dir;

    @Test
    void readsTheCountsThatSourcesMdStates() {
        Path corpus = TestFiles.corpusOrSkip();
        SampleSet set = SharedCorpus.readAll(corpus);
        assertEquals(List.of(), set.errors());
        Map<String, Integer> counts = set.countsByLabel();
        assertEquals(Map.of("physics", 248, "other", 203, "mathematics", 90, "biology", 77, "chemistry", 63,
                "molecules", 8620, "proteins", 586), counts);
        assertEquals(681, set.samples().stream().filter(sample -> sample.kind() == InputKind.TEXT).count());
        assertEquals(8620, set.samples().stream().filter(sample -> sample.kind() == InputKind.SMILES).count());
        assertEquals(586, set.samples().stream().filter(sample -> sample.kind() == InputKind.PROTEIN).count());
        Sample paper = set.withLabel("physics").get(0);
        assertTrue(paper.text().contains("\n\n"), "papers are title + blank line + abstract");
    }

    @Test
    void locateWalksUpToASharedCorpusBesideAnAncestor() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("work/shared/corpus"));
        Path deep = Files.createDirectories(dir.resolve("work/main/samples/target"));
        assertEquals(Optional.of(corpus), SharedCorpus.locateFrom(deep));
        assertEquals(Optional.empty(), SharedCorpus.locateFrom(Files.createDirectories(dir.resolve("elsewhere"))
                .resolve("x")).filter(found -> found.startsWith(dir)));
    }

    @Test
    void readAllNamesAMissingDirectoryOrFile() throws Exception {
        Path missing = dir.resolve("no-corpus");
        SampleSourceException e = assertThrows(SampleSourceException.class, () -> SharedCorpus.readAll(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path partial = Files.createDirectories(dir.resolve("partial"));
        TestFiles.write(partial.resolve(SharedCorpus.PAPERS), "{\"id\":\"p\",\"label\":\"physics\",\"text\":\"x\"}\n");
        SampleSourceException file = assertThrows(SampleSourceException.class, () -> SharedCorpus.readAll(partial));
        assertTrue(file.getMessage().contains(partial.resolve(SharedCorpus.MOLECULES).toString()), file.getMessage());
    }
}
