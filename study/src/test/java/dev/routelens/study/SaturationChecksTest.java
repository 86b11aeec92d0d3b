package dev.routelens.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.core.UserError;
import dev.routelens.model.MoeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout check names each differing field; a run's kept checkpoints are found and ordered by step. */
class SaturationChecksTest {
    static MoeConfig config(int experts, int context) {
        return new MoeConfig("mixtral", 40, 16, 2, 2, 2, 16, experts, 2, 1e-6, 10000, context, false, 1, 2);
    }

    @Test
    void layoutRefusalNamesEveryDifferingField() {
        SaturationChecks.requireSameLayout(config(4, 16), Path.of("a.json"), config(4, 16), Path.of("b.json"));
        UserError e = assertThrows(UserError.class, () -> SaturationChecks.requireSameLayout(config(4, 16),
                Path.of("a.json"), config(8, 32), Path.of("b.json")));
        assertEquals("saturation compares models of one layout, but a.json and b.json differ in num_experts 4 vs 8; "
                + "max_position_embeddings 16 vs 32", e.getMessage());
    }

    @Test
    void stepsAreOrderedNumericallyAndNeedAConfig(@TempDir Path run) throws Exception {
        for (String s : new String[] {"step-00100", "step-00025", "step-1000", "step-00050"}) {
            Files.createDirectories(run.resolve(s));
            Files.writeString(run.resolve(s).resolve("config.json"), "{}");
        }
        Files.createDirectories(run.resolve("step-00075")); // killed before its config was written
        Files.createDirectories(run.resolve("other"));
        List<Long> steps = SaturationChecks.steps(run).stream().map(SaturationChecks.StepCheckpoint::step).toList();
        assertEquals(List.of(25L, 50L, 100L, 1000L), steps);
        UserError none = assertThrows(UserError.class, () -> SaturationChecks.steps(run.resolve("other")));
        assertTrue(none.getMessage().contains("keep_checkpoints"), none.getMessage());
    }
}
