package dev.routelens.routing;

import dev.routelens.core.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.InputKind;
import dev.routelens.routing.ExpertChoice.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTest {

    @TempDir
    Path directory;

    private static DocumentRouting random(String id, String label, InputKind kind, long seed) {
        return new DocumentRouting(id, label, kind, RoutingFixtures.sequentialIds(6),
                RoutingFixtures.gaussianLogits(new Random(seed), 2, 6, 3));
    }

    private static ExpertChoiceTable table() {
        return ExpertChoiceTable.builder(2, 3)
                .add(random("m1", "molecule", InputKind.SMILES, 1), Variant.LOGIT_SUM_SOFTMAX, 2)
                .add("p1", "protein, human", InputKind.PROTEIN, new double[] {0.5, 0.25, 0.25, 0.1, 0.2, 0.7})
                .add(random("m2", "molecule", InputKind.SMILES, 2), Variant.LOGIT_SUM_SOFTMAX, 2)
                .build();
    }

    @Test
    void choiceCsvHasNamedColumnsAndRoundTrips() throws IOException {
        ExpertChoiceTable table = table();
        Path file = directory.resolve("choices.csv");
        table.writeCsv(file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("id,label,kind,L0E0,L0E1,L0E2,L1E0,L1E1,L1E2", lines.get(0));
        assertEquals(4, lines.size());
        assertTrue(lines.get(2).startsWith("p1,\"protein, human\",protein,0.5,0.25,"), lines.get(2));
        ExpertChoiceTable back = ExpertChoiceTable.readCsv(file);
        assertEquals(table, back);
        assertArrayEquals(ExpertChoice.vector(random("m1", "molecule", InputKind.SMILES, 1)), back.vectors()[0], 0);
    }

    @Test
    void classMeansAverageTheRowsOfEachLabel() throws IOException {
        ExpertChoiceTable table = table();
        Map<String, double[]> means = table.classMeans();
        assertEquals(List.of("molecule", "protein, human"), List.copyOf(means.keySet()));
        double[] first = table.vectors()[0];
        double[] third = table.vectors()[2];
        for (int c = 0; c < 6; c++) {
            assertEquals((first[c] + third[c]) / 2, means.get("molecule")[c], 1e-15);
        }
        assertArrayEquals(table.vectors()[1], means.get("protein, human"), 0);
        assertEquals(Map.of("molecule", 2, "protein, human", 1), table.classCounts());
        Path file = directory.resolve("means.csv");
        table.writeClassMeansCsv(file);
        List<String> lines = Files.readAllLines(file);
        assertEquals("label,documents,L0E0,L0E1,L0E2,L1E0,L1E1,L1E2", lines.get(0));
        assertTrue(lines.get(1).startsWith("molecule,2,"), lines.get(1));
    }

    @Test
    void tableRejectsDuplicatesAndBadFiles() throws IOException {
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> ExpertChoiceTable.builder(1, 2).add("x", "a", InputKind.TEXT, new double[] {0.5, 0.5})
                        .add("x", "b", InputKind.TEXT, new double[] {0.5, 0.5}).build());
        assertTrue(duplicate.getMessage().contains("'x' appears twice"), duplicate.getMessage());
        Path badColumns = directory.resolve("bad-columns.csv");
        Files.writeString(badColumns, "id,label,kind,L0E0,L0E2\nx,a,text,0.5,0.5\n");
        IOException columns = assertThrows(IOException.class, () -> ExpertChoiceTable.readCsv(badColumns));
        assertTrue(columns.getMessage().contains("bad-columns.csv"), columns.getMessage());
        Path badKind = directory.resolve("bad-kind.csv");
        Files.writeString(badKind, "id,label,kind,L0E0,L0E1\nx,a,text,0.5,0.5\ny,a,dna,0.5,0.5\n");
        IOException kind = assertThrows(IOException.class, () -> ExpertChoiceTable.readCsv(badKind));
        assertTrue(kind.getMessage().contains("bad-kind.csv line 3") && kind.getMessage().contains("dna"), kind.getMessage());
    }

    @Test
    void reportCsvAndJsonExports() throws IOException {
        RoutingMetrics metrics = new RoutingMetrics(2, 3, 2);
        metrics.add(random("m1", "molecule", InputKind.SMILES, 1));
        metrics.add(random("p1", "protein", InputKind.PROTEIN, 2));
        metrics.add(new DocumentRouting("single", "text", InputKind.TEXT, new int[] {4},
                new float[][][] {{{0, 1, 2}}, {{2, 1, 0}}})); // one token: repetition undefined (NaN)
        RoutingReport report = metrics.report();

        Path metricsCsv = directory.resolve("out/metrics.csv");
        report.writeMetricsCsv(metricsCsv);
        List<String> lines = Files.readAllLines(metricsCsv);
        assertEquals("class,layer,documents,tokens,token_pairs,repetition_top1,repetition_either,"
                + "vocab_specialisation,vocab_ids,load_balance,entropy_nats,E0,E1,E2", lines.get(0));
        assertEquals(1 + 4 * 2, lines.size());
        assertTrue(lines.get(5).startsWith("text,0,1,1,0,NaN,NaN,"), lines.get(5));
        assertTrue(lines.get(7).startsWith("(all),0,3,13,10,"), lines.get(7));

        Path coActivation = directory.resolve("out/coactivation.csv");
        report.writeCoActivationCsv(coActivation);
        List<String> co = Files.readAllLines(coActivation);
        assertEquals("class,layer,from_expert,to_expert,p", co.get(0));
        assertEquals(1 + 4 * 2 * 3 * 3, co.size());
        assertEquals("molecule,0,0,0,1.0", co.get(1));

        Path json = directory.resolve("out/report.json");
        report.writeJson(json);
        RoutingReport back = RoutingReport.readJson(json);
        assertEquals(report, back);
        assertTrue(Files.readString(json).contains("\"random_baseline_either\""));
    }

    @Test
    void atomicWriteReplacesWholeFilesAndLeavesNothingOnFailure() throws IOException {
        Path file = directory.resolve("a.txt");
        AtomicFiles.write(file, writer -> writer.write("first"));
        AtomicFiles.write(file, writer -> writer.write("second"));
        assertEquals("second", Files.readString(file));
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(file, writer -> {
            writer.write("partial");
            throw new UncheckedIOException(new IOException("disk full"));
        }));
        assertThrows(IOException.class, () -> AtomicFiles.write(file, writer -> {
            throw new IOException("disk full");
        }));
        assertEquals("second", Files.readString(file));
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(file), files.toList(), "no temporary files left behind");
        }
    }
}
