package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.samples.SampleSet;
import dev.routelens.study.HookedMoe;
import dev.routelens.study.RouteLens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JShell facade and the CLI run the same study code, so they write the same folders: every data file byte for
 * byte, and run records with the same fields (their timings differ).
 */
class FacadeMatchesCliTest {
    private static HookedMoe model;
    private static SampleSet samples;

    @BeforeAll
    static void load() throws Exception {
        model = RouteLens.load(nano(), "cpu", "f32");
        samples = RouteLens.perClass(RouteLens.samples(), 4, 42);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static String nano() {
        return Path.of(System.getProperty("routelens.home"), "model", "nano").toString();
    }

    private static void sameFiles(Path cli, Path facade, List<String> data, List<String> records) throws Exception {
        for (String f : data) {
            assertArrayEquals(Files.readAllBytes(cli.resolve(f)), Files.readAllBytes(facade.resolve(f)), f);
        }
        ObjectMapper json = new ObjectMapper();
        for (String f : records) {
            List<String> a = new ArrayList<>();
            json.readTree(cli.resolve(f).toFile()).fieldNames().forEachRemaining(a::add);
            List<String> b = new ArrayList<>();
            json.readTree(facade.resolve(f).toFile()).fieldNames().forEachRemaining(b::add);
            assertEquals(a, b, f);
        }
        try (var c = Files.list(cli); var s = Files.list(facade)) {
            assertEquals(c.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList(),
                    s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList(), "the same files");
        }
    }

    @Test
    void figure1WritesTheCliFolder(@TempDir Path dir) throws Exception {
        Path cli = dir.resolve("cli");
        CliRun run = CliRun.of("figure1", "--out", cli.toString(), "--per-class", "4", "--device", "cpu", "--threads", "1");
        assertEquals(0, run.exit(), run.err());
        var result = model.figure1(samples);
        Path facade = result.save(dir.resolve("facade").toString());
        sameFiles(cli, facade, List.of("expert_choice.csv", "expert_choice_class_means.csv", "tsne.csv", "metrics.json",
                "expert_choice.npz", "tsne.npz", "figure1.csv"), List.of("run.json"));
        assertEquals(model.config().moeLayers().length, result.choices().layers().length, "the table knows its MoE layers");
        assertEquals(8, result.choices().experts());
    }

    @Test
    void statsAndAblationWriteTheCliFolders(@TempDir Path dir) throws Exception {
        Path cli = dir.resolve("stats-cli");
        CliRun run = CliRun.of("stats", "--out", cli.toString(), "--per-class", "4", "--device", "cpu", "--threads", "1");
        assertEquals(0, run.exit(), run.err());
        Path facade = model.stats(samples).save(dir.resolve("stats-facade").toString());
        sameFiles(cli, facade, List.of("routing_metrics.csv", "coactivation.csv", "routing_report.json"),
                List.of("summary.json", "run.json"));

        Path ablateCli = dir.resolve("ablate-cli");
        run = CliRun.of("ablate", "--out", ablateCli.toString(), "--per-class", "4", "--layer", "3", "--expert", "5",
                "--device", "cpu", "--threads", "1");
        assertEquals(0, run.exit(), run.err());
        var outcome = model.ablate(samples, 3, 5, "reroute");
        Path ablateFacade = outcome.save(dir.resolve("ablate-facade").toString());
        sameFiles(ablateCli, ablateFacade, List.of("ablation.csv", "routing_shift.csv"), List.of("run.json"));
        assertTrue(run.out().startsWith(outcome.classLines()), run.out());
    }

    @Test
    void facadeVerbsTakeLongDocumentsAndRefuseWhatCannotRun() {
        var cache = model.runWithCache("The proton is a baryon.", "layers.*.moe.gate");
        float[][] g = cache.get("layers.5.moe.gate").matrix();
        assertEquals(model.toStrTokens("The proton is a baryon.").size(), g.length, "a row per token");
        assertEquals(8, g[0].length);
        assertTrue(cache.toString().contains("26 names: layers.0.moe.gate"), cache.toString());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> model.runWithCache("x", "layers.*.moe.gaet"));
        assertTrue(none.getMessage().contains("'layers.*.moe.gaet'"), none.getMessage());
        IllegalStateException one = assertThrows(IllegalStateException.class,
                () -> model.runWithHooks(List.of(model.tokenizer().addsBos() ? "" : "x"), java.util.Map.of()).nll());
        assertTrue(one.getMessage().contains("no token was predicted"), one.getMessage());
        String longText = "Proteins fold into shapes that decide what they do. ".repeat(200);
        assertTrue(model.toTokens(longText).length > model.config().maxPositions(), "longer than the context");
        var r = model.runWithHooks(longText, java.util.Map.of());
        assertTrue(r.nll() > 0 && Double.isFinite(r.nll()));
        assertTrue(model.toString().contains("HookedMoe"), model.toString());
    }
}
