package dev.routelens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks every study folder must pass: run.json's core fields, and a summary naming every file written. */
final class OutputChecks {
    /** The core of run.json, in this order, for every command (study's RunJson). */
    static final List<String> CORE = List.of("command", "command_line", "inputs", "model", "config_sha256", "weights",
            "device", "dtype", "torch_threads", "samples");

    private OutputChecks() {
    }

    /** run.json of a {@code command} run starts with {@link #CORE} and ends with versions and timings. */
    static JsonNode runJson(Path out, String command) throws Exception {
        JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        List<String> keys = new java.util.ArrayList<>();
        run.fieldNames().forEachRemaining(keys::add);
        assertEquals(CORE, keys.subList(0, CORE.size()), "run.json's core fields");
        assertEquals(List.of("versions", "stage_seconds", "wall_seconds"), keys.subList(keys.size() - 3, keys.size()));
        assertEquals(command, run.get("command").asText());
        assertEquals("routelens", run.get("command_line").get(0).asText());
        assertEquals(command, run.get("command_line").get(1).asText());
        assertTrue(run.get("inputs").has("--seed"), run.get("inputs").toString());
        return run;
    }

    /** Every file in {@code out} but hidden ones (lock, checkpoint) is named in the CLI's {@code stdout}. */
    static void summaryListsEveryFile(Path out, String stdout) throws Exception {
        try (var files = Files.list(out)) {
            for (String name : files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList()) {
                assertTrue(stdout.contains(" " + name), name + " is not in the summary: " + stdout);
            }
        }
    }
}
