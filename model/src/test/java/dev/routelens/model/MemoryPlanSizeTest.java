package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** --memory-budget sizes: the usual forms parse; a size that rounds to no byte at all is refused, not read as 0. */
class MemoryPlanSizeTest {

    @Test
    void sizesParseAndNonsenseIsRefusedNamingTheOption() {
        assertEquals(512L << 20, MemoryPlan.parseSize("512m", "--memory-budget"));
        assertEquals(4L << 30, MemoryPlan.parseSize("4GB", "--memory-budget"));
        assertEquals(1536, MemoryPlan.parseSize("1.5k", "--memory-budget"));
        assertEquals(1, MemoryPlan.parseSize("1", "--memory-budget"));
        for (String bad : List.of("0", "-4g", "NaN", "Infinity", "1e999", "0.0000001", "0.5", "0.0000001k", "", "g", "4x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MemoryPlan.parseSize(bad, "--memory-budget"), bad);
            assertTrue(e.getMessage().startsWith("--memory-budget '" + bad + "': "), e.getMessage());
        }
    }
}
