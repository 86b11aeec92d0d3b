package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** A model whose arithmetic overflows fails naming where, instead of returning NaN results with success. */
class NonFiniteTest {

    @Test
    void overflowingModelIsRefusedAtTheFirstRouter() throws Exception {
        MoeConfig c = new MoeConfig("mixtral", 64, 16, 2, 2, 1, 24, 4, 2, 1e-5, 10000.0, 64, false, 1, 2);
        WeightSource poisoned = new WeightSource() { // layer 0's output projection overflows, as a bad weight would
            @Override
            public float[] read(String name, long... shape) {
                float[] values = RandomWeights.of(3).read(name, shape);
                if (name.equals("model.layers.0.self_attn.o_proj.weight")) {
                    values[5] = Float.POSITIVE_INFINITY;
                    values[6] = Float.NEGATIVE_INFINITY;
                }
                return values;
            }

            @Override
            public String describe() {
                return "poisoned";
            }
        };
        try (MoeTransformer model = MoeTransformer.create(c, poisoned, Device.cpu(), Precision.F32)) {
            ArithmeticException e = assertThrows(ArithmeticException.class,
                    () -> model.forward(TokenBatch.of(new int[] {1, 5, 9, 12, 3})));
            assertTrue(e.getMessage().startsWith(SparseMoe.gate(0) + ": the router's logits are not finite"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        try (MoeTransformer sane = MoeTransformer.create(c, RandomWeights.of(3), Device.cpu(), Precision.F32)) {
            assertTrue(Double.isFinite(sane.forward(TokenBatch.of(new int[] {1, 5, 9, 12, 3})).meanNll()));
        }
    }
}
