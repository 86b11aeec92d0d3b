package dev.routelens.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the default set and the shared corpus through properties and by walking up. */
class LocateTest {
    @TempDir
    Path dir;

    @Test
    void defaultSamplesFollowTheHomePropertyAndWalkUp() throws Exception {
        Path home = dir.resolve("repo");
        TestFiles.write(home.resolve("samples/figure1/physics.jsonl"), "{\"id\":\"p\",\"label\":\"physics\",\"text\":\"x\"}\n");
        Path deep = Files.createDirectories(home.resolve("cli/target"));
        assertEquals(Optional.of(home.resolve("samples/figure1")), DefaultSamples.locateFrom(deep));
        String before = System.getProperty(DefaultSamples.PROPERTY);
        try {
            System.setProperty(DefaultSamples.PROPERTY, home.toString());
            assertEquals(List.of("p"), TestFiles.ids(DefaultSamples.read()));
            System.setProperty(DefaultSamples.PROPERTY, dir.resolve("missing").toString());
            SampleSourceException e = assertThrows(SampleSourceException.class, DefaultSamples::locate);
            assertTrue(e.getMessage().contains(dir.resolve("missing").resolve("samples/figure1").toString()), e.getMessage());
        } finally {
            restore(DefaultSamples.PROPERTY, before);
        }
    }

    @Test
    void corpusPropertyWinsOverTheWalk() {
        String before = System.getProperty(SharedCorpus.PROPERTY);
        try {
            System.setProperty(SharedCorpus.PROPERTY, dir.toString());
            assertEquals(Optional.of(dir), SharedCorpus.locate());
        } finally {
            restore(SharedCorpus.PROPERTY, before);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
