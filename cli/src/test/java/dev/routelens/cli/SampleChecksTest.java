package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample set short of what the analysis needs is refused before the model loads (the model here has no
 * weights, so a run that got that far would say so), naming what it lacks; errors.csv is written when records
 * were rejected, named only then, and never left over from an earlier run.
 */
class SampleChecksTest {
    @TempDir
    static Path shared;
    static Path weightless;

    @BeforeAll
    static void write() throws IOException {
        weightless = TinyModels.weightless(shared.resolve("weightless"));
    }

    static CliRun figure1(Path samples, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("figure1", "--model", weightless.toString(), "--samples",
                samples.toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void oneClassIsRefusedBeforeTheModelLoadsWithoutNamingAnUnwrittenErrorsCsv(@TempDir Path dir) throws IOException {
        Path one = TinyModels.docs(dir.resolve("one.csv"), 5, "physics");
        Path out = dir.resolve("o1");
        String line = TinyModels.refusal(figure1(one, out));
        assertTrue(line.contains("the sample set has 1 class (physics); Figure 1 needs at least 2"), line);
        assertFalse(line.contains("errors.csv") || line.contains("silhouette"), line);
        assertFalse(Files.exists(out.resolve("errors.csv")));

        Path two = TinyModels.docs(dir.resolve("two.csv"), 5, "mathematics", "physics");
        Path out2 = dir.resolve("o2");
        line = TinyModels.refusal(figure1(two, out2, "--labels", "physics", "--per-class", "3"));
        assertTrue(line.contains("the sample set has 3 documents; Figure 1 needs at least 4"), line);
        assertTrue(line.contains("1 class (physics)"), line);
        assertFalse(line.contains("errors.csv"), "names an errors.csv that was never written: " + line);
        assertFalse(Files.exists(out2.resolve("errors.csv")));
    }

    @Test
    void rejectedRecordsAreWrittenAndNamedWhenTheSetFallsShort(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("mixed.csv"), """
                id,label,kind,text
                p1,physics,text,Photons in a lattice.
                p2,physics,text,Plasma waves.
                m1,molecules,smiles,C1CC(
                m2,molecules,smiles,not a molecule
                """);
        Path out = dir.resolve("o");
        String line = TinyModels.refusal(figure1(file, out));
        assertTrue(line.contains("1 class (physics)") && line.endsWith("(see " + out.resolve("errors.csv") + ")"), line);
        assertEquals(3, Files.readAllLines(out.resolve("errors.csv")).size(), "header and the two rejected molecules");

        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        Path out2 = dir.resolve("o2");
        line = TinyModels.refusal(figure1(empty, out2));
        assertTrue(line.contains("the sample set has no documents") && line.contains("(see " + out2.resolve("errors.csv") + ")"), line);
        assertTrue(Files.readString(out2.resolve("errors.csv")).contains(empty + ",0,"), "an empty file is one error on line 0");
    }

    @Test
    void tokenizerRefusalsNameTheRecordsLineAndCountBeforeTheModelLoads(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("uranium.csv"), """
                id,label,kind,text
                p1,physics,text,Photons in a lattice.
                p2,physics,text,Plasma waves.
                p3,physics,text,Spin chains.
                u1,molecules,smiles,C[199Hg]C
                u2,molecules,smiles,[199Hg]
                """);
        Path out = dir.resolve("o");
        String line = TinyModels.refusal(figure1(file, out));
        assertTrue(line.contains("1 class (physics)") && line.contains("once the tokenizer's refusals are left out")
                && line.endsWith("(see " + out.resolve("errors.csv") + ")"), line);
        List<String> rows = Files.readAllLines(out.resolve("errors.csv"));
        assertEquals(3, rows.size(), String.join("\n", rows));
        // the reason holds a comma ("..., and its bracket_atom_fallback part '^199' ..."), so the CSV quotes it
        assertTrue(rows.get(1).startsWith(file + ",5,u1,\"tokenizer: SMILES ") && rows.get(1).contains("'[199Hg]'")
                && rows.get(1).contains("part '^199'"), rows.get(1));
        assertTrue(rows.get(2).startsWith(file + ",6,u2,\"tokenizer: "), rows.get(2));
    }

    @Test
    void statsRemovesAnErrorsCsvLeftByAnEarlierRun(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("st");
        Files.createDirectories(out);
        Files.writeString(out.resolve("errors.csv"), "file,line,id,reason\nold.csv,1,x,from an earlier run\n");
        Path docs = TinyModels.docs(dir.resolve("docs.csv"), 2, "mathematics", "physics");
        CliRun run = CliRun.of("stats", "--random-init", TinyModels.tinyConfig(dir).toString(), "--samples", docs.toString(),
                "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertFalse(Files.exists(out.resolve("errors.csv")), "a clean run leaves no errors.csv of an earlier one");
        assertTrue(Files.exists(out.resolve("routing_metrics.csv")));

        Path empty = Files.writeString(dir.resolve("none.csv"), "id,label,kind,text\n");
        String line = TinyModels.refusal(CliRun.of("stats", "--model", weightless.toString(), "--samples", empty.toString(),
                "--out", dir.resolve("st2").toString()));
        assertTrue(line.contains("the sample set has no documents; this analysis needs at least 1 document"), line);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aNamedPipeAsSamplesIsNamedNotOpened(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("samples.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            mkfifo = null;
        }
        assumeTrue(mkfifo != null && mkfifo.waitFor() == 0, "mkfifo is not available");
        String line = TinyModels.refusal(figure1(fifo, dir.resolve("o")));
        assertTrue(line.contains(fifo.toString()) && line.contains("named pipe"), line);
        line = TinyModels.refusal(CliRun.of("stats", "--model", weightless.toString(), "--samples", fifo.toString(), "--out",
                dir.resolve("s").toString()));
        assertTrue(line.contains(fifo.toString()) && line.contains("named pipe"), line);
    }
}
