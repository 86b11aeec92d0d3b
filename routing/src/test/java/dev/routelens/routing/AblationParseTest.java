package dev.routelens.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Ablation specs: what parses, and what is refused instead of silently coerced. */
class AblationParseTest {
    private static String refusal(String spec, int r) {
        return assertThrows(IllegalArgumentException.class, () -> Ablation.parse(spec, r)).getMessage();
    }

    @Test
    void topRTakesItsRAndNoExpert() {
        assertEquals(new Ablation(3, 0, AblationMode.TOP_R, 2), Ablation.parse("3:top-r", 2));
        assertEquals(new Ablation(3, 5, AblationMode.ZERO, 0), Ablation.parse("3:5:zero", 2));
        assertEquals(Ablation.zeroShared(Ablation.ALL_LAYERS), Ablation.parse("all:zero-shared", 1));
        assertEquals("ablation '3:top-r': top-r needs r >= 1, got 0", refusal("3:top-r", 0));
        assertEquals("ablation '3:top-r': top-r needs r >= 1, got -2", refusal("3:top-r", -2));
        assertEquals("ablation '3:5:top-r': top-r takes no expert; write 3:top-r", refusal("3:5:top-r", 1));
        assertEquals("ablation '3:5:zero-shared': zero-shared takes no expert; write 3:zero-shared",
                refusal("3:5:zero-shared", 1));
        assertEquals("ablation '3:zero': zero needs an expert, as LAYER:EXPERT:zero", refusal("3:zero", 1));
    }
}
