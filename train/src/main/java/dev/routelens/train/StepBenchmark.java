package dev.routelens.train;

import ai.djl.ndarray.types.DataType;
import dev.routelens.model.RandomWeights;
import dev.routelens.model.nano.NanoModel;
import java.util.SplittableRandom;

/**
 * Prints the step time of SciDFM-nano on B x T random tokens (a benchmark command, not a test):
 * {@code java -cp ... dev.routelens.train.StepBenchmark 8,256[,threads]}; set ROUTELENS_BENCH_DENSE to
 * time dense expert dispatch too.
 */
public final class StepBenchmark {
    private StepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String spec = args.length > 0 ? args[0] : System.getenv().getOrDefault("ROUTELENS_BENCH", "8,256");
        String[] bt = spec.split(",");
        if (bt.length > 2) {
            System.setProperty("ai.djl.pytorch.num_threads", bt[2]);
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        int b = Integer.parseInt(bt[0]);
        int t = Integer.parseInt(bt[1]);
        SplittableRandom rng = new SplittableRandom(1);
        int[][] rows = new int[b][t];
        for (int[] r : rows) {
            for (int i = 0; i < t; i++) {
                r[i] = rng.nextInt(4096);
            }
        }
        for (TrainableMoe.Dispatch d : System.getenv("ROUTELENS_BENCH_DENSE") != null ? TrainableMoe.Dispatch.values() : new TrainableMoe.Dispatch[] {TrainableMoe.Dispatch.SPARSE}) {
            try (TrainableMoe model = TrainableMoe.create(NanoModel.config(4096), RandomWeights.of(20240927), DataType.FLOAT32)) {
                model.setDispatch(d);
                AdamW opt = AdamW.standard();
                for (int s = 0; s < 3; s++) {
                    long f0 = System.nanoTime();
                    double ce = Trainer.crossEntropy(model, rows);
                    System.out.printf("%s forward only: %.3f s (%.4f)%n", d, (System.nanoTime() - f0) / 1e9, ce);
                }
                for (int s = 0; s < 6; s++) {
                    long t0 = System.nanoTime();
                    Trainer.StepStats st = Trainer.step(model, opt, rows, 1e-3, 0.02, 1.0);
                    System.out.printf("%s step %d: %.3f s loss %.4f aux %.4f grad %.3f%n", d, s, (System.nanoTime() - t0) / 1e9,
                            st.loss(), st.aux(), st.gradNorm());
                }
            }
        }
    }
}
