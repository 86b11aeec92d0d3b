package dev.routelens.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.checkpoint.MixtralNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Autograd gradients of the training loss against central finite differences, in float64. */
class GradientCheckTest {
    static final MoeConfig TINY = new MoeConfig("mixtral", 32, 8, 2, 2, 1, 12, 4, 2, 1e-6, 10000.0, 16, false, 1, 2);
    static final int[][] ROWS = {{1, 5, 9, 13, 17, 21, 3}, {1, 30, 2, 7, 7, 11, 29}};
    static final double AUX_COEF = 0.02;

    private static double loss(TrainableMoe model) {
        try (NDManager m = model.manager().newSubManager()) {
            model.parameters().values().forEach(p -> p.tempAttach(m));
            TrainableMoe.Output out = model.forward(m, ROWS);
            return out.crossEntropy().getDouble() + AUX_COEF * out.aux().getDouble();
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() throws Exception {
        for (TrainableMoe.Dispatch dispatch : TrainableMoe.Dispatch.values()) {
          for (TrainableMoe.AuxLoss auxMode : TrainableMoe.AuxLoss.values()) {
            try (TrainableMoe model = TrainableMoe.create(TINY, new RandomWeights(7, 0.3), DataType.FLOAT64)) {
                model.setDispatch(dispatch);
                model.setAuxLoss(auxMode);
                double[][] analytic;
                List<String> names = List.of(MixtralNames.embedTokens(), MixtralNames.qProj(0), MixtralNames.kProj(1),
                        MixtralNames.vProj(0), MixtralNames.oProj(1), MixtralNames.inputLayernorm(0),
                        MixtralNames.postAttentionLayernorm(1), MixtralNames.gate(0), MixtralNames.gate(1),
                        TrainableMoe.stackedW1(0), TrainableMoe.stackedW3(1), TrainableMoe.stackedW2(0),
                        MixtralNames.finalNorm(), MixtralNames.lmHead());
                int[][] probes = new int[names.size()][];
                analytic = new double[names.size()][];
                try (NDManager m = model.manager().newSubManager()) {
                    model.parameters().values().forEach(p -> p.tempAttach(m));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        TrainableMoe.Output out = model.forward(m, ROWS);
                        NDArray coef = m.full(new ai.djl.ndarray.types.Shape(), (float) AUX_COEF, DataType.FLOAT64);
                        gc.backward(out.crossEntropy().add(out.aux().mul(coef)));
                    }
                    for (int i = 0; i < names.size(); i++) {
                        NDArray p = model.parameters().get(names.get(i));
                        double[] g = p.getGradient().toDoubleArray();
                        // The three largest-magnitude entries: finite differences are most reliable there.
                        probes[i] = largest(g, 3);
                        analytic[i] = new double[3];
                        for (int j = 0; j < 3; j++) {
                            analytic[i][j] = g[probes[i][j]];
                        }
                    }
                }
                double h = 1e-6;
                for (int i = 0; i < names.size(); i++) {
                    NDArray p = model.parameters().get(names.get(i));
                    for (int j = 0; j < 3; j++) {
                        int idx = probes[i][j];
                        double base = p.toDoubleArray()[idx];
                        set(p, idx, base + h);
                        double up = loss(model);
                        set(p, idx, base - h);
                        double down = loss(model);
                        set(p, idx, base);
                        double numeric = (up - down) / (2 * h);
                        double a = analytic[i][j];
                        double rel = Math.abs(a - numeric) / Math.max(1e-8, Math.max(Math.abs(a), Math.abs(numeric)));
                        assertTrue(rel < 1e-4, dispatch + "/" + auxMode + " " + names.get(i) + "[" + idx + "]: autograd " + a
                                + " vs finite difference " + numeric);
                    }
                    assertTrue(Math.abs(analytic[i][0]) > 1e-7, names.get(i) + " has no gradient at all");
                }
            }
          }
        }
    }

    @Test
    void sparseAndDenseDispatchAgree() throws Exception {
        double[] losses = new double[2];
        for (TrainableMoe.Dispatch dispatch : TrainableMoe.Dispatch.values()) {
            try (TrainableMoe model = TrainableMoe.create(TINY, new RandomWeights(3, 0.3), DataType.FLOAT64)) {
                model.setDispatch(dispatch);
                losses[dispatch.ordinal()] = loss(model);
            }
        }
        assertEquals(losses[0], losses[1], 1e-12);
    }

    private static void set(NDArray p, int flatIndex, double value) {
        long[] shape = p.getShape().getShape();
        long[] pos = new long[shape.length];
        long rest = flatIndex;
        for (int d = shape.length - 1; d >= 0; d--) {
            pos[d] = rest % shape[d];
            rest /= shape[d];
        }
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < pos.length; d++) {
            sb.append(d == 0 ? "" : ",").append(pos[d]);
        }
        p.set(new NDIndex(sb.toString()), value);
    }

    private static int[] largest(double[] g, int count) {
        Integer[] order = new Integer[g.length];
        for (int i = 0; i < g.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(Math.abs(g[y]), Math.abs(g[x])));
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
