package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.cli.bench.BenchSizes;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} prints every section's figures under the section's name, in the order the sections run, and
 * saves the same figures (and each section's wall time) in the JSON. Timings vary, so only their structure
 * is checked: every figure a positive, finite number.
 */
class BenchSectionsTest {
    /** The in-memory sections in the order they run. */
    private static final List<String> SECTIONS = List.of("forward", "dispatch", "batching", "threads", "ablation_sweep", "tsne");

    @Test
    void everySectionIsPrintedAndSavedWithFiniteFigures(@TempDir Path dir) throws Exception {
        Path config = Path.of(System.getProperty("routelens.home"), "model", "configs", "tiny-gqa.json");
        Path out = dir.resolve("bench.json");
        CliRun run = CliRun.of("bench", "--random-init", config.toString(), "--batch", "2", "--tokens", "16",
                "--repeats", "1", "--sweep-docs", "1", "--tsne-sizes", "60", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode f = new ObjectMapper().readTree(out.toFile());
        String stdout = run.out();
        positive("matmul_flops_per_s", f.get("matmul_flops_per_s"));
        int from = 0;
        for (String section : SECTIONS) {
            JsonNode figures = f.get(section);
            assertTrue(figures != null && figures.isObject() && figures.size() > 0, "section " + section + " in " + f);
            int at = stdout.indexOf("\n" + section + ":\n", from);
            assertTrue(at >= from, section + " printed after the sections before it:\n" + stdout);
            String block = block(stdout, at + 1);
            for (Iterator<Map.Entry<String, JsonNode>> it = figures.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = section + "." + e.getKey();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> positive(name, v));
                } else if (e.getKey().endsWith("_overhead")) { // a ratio less 1: may be below 0
                    assertTrue(e.getValue().isNumber() && Double.isFinite(e.getValue().asDouble()), name + " = " + e.getValue());
                } else {
                    positive(name, e.getValue());
                }
                assertTrue(block.contains("\n  " + e.getKey() + " "), section + "." + e.getKey() + " printed in its section:\n" + block);
            }
            positive("section_seconds." + section, f.get("section_seconds").get(section));
            assertTrue(run.err().contains("bench " + (section.equals("ablation_sweep") ? "sweep" : section)),
                    "a progress line for " + section + " on stderr");
            from = at;
        }
        assertEquals(1, f.get("ablation_sweep").get("documents").asInt());
        assertEquals(4 * 8, f.get("ablation_sweep").get("ablations").asInt(), "4 layers x 8 experts");
        assertTrue(stdout.trim().endsWith("bench: figures written to " + out.toAbsolutePath()), stdout);
    }

    @Test
    void fullIsTheLongRunAndGivenSizesWin() {
        assertEquals(new BenchSizes(96, 5, 12, List.of(600, 2000, 5000)), BenchSizes.FULL);
        assertEquals(new BenchSizes(96, 1, 12, List.of(60)), BenchSizes.FULL.with(null, 1, null, List.of(60)));
        assertEquals(BenchSizes.DEFAULT, BenchSizes.DEFAULT.with(null, null, null, null));
    }

    /** The section printed from {@code start}: its header line and the indented lines under it. */
    private static String block(String stdout, int start) {
        StringBuilder b = new StringBuilder();
        String[] lines = stdout.substring(start).split("\n");
        b.append(lines[0]).append('\n');
        for (int i = 1; i < lines.length && lines[i].startsWith("  "); i++) {
            b.append(lines[i]).append('\n');
        }
        return "\n" + b;
    }

    private static void positive(String name, JsonNode v) {
        assertTrue(v != null && v.isNumber() && v.asDouble() > 0 && Double.isFinite(v.asDouble()), name + " = " + v);
    }
}
