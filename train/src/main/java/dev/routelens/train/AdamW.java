package dev.routelens.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as in PyTorch ({@code torch.optim.AdamW}): decoupled weight decay {@code p -= lr * wd * p},
 * bias-corrected moments, update {@code lr * m_hat / (sqrt(v_hat) + eps)}. Norm weights get no decay.
 * Runs outside any gradient collector, so Java scalars are safe here.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();   // name -> m, parameter's shape
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();  // name -> v, parameter's shape
    private long step;

    public AdamW(double beta1, double beta2, double eps, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("AdamW needs 0 <= beta < 1, eps > 0, weight decay >= 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** The project's setting: beta1 0.9, beta2 0.95, eps 1e-8, weight decay 0.1. */
    public static AdamW standard() {
        return new AdamW(0.9, 0.95, 1e-8, 0.1);
    }

    /** Updates done so far (the bias correction's t). */
    public long step() {
        return step;
    }

    /** Moment tensors created lazily in {@code owner} (the parameters' manager). */
    private NDArray moment(Map<String, NDArray> moments, String name, NDArray like, NDManager owner) {
        return moments.computeIfAbsent(name, key -> owner.zeros(like.getShape(), like.getDataType()));
    }

    /**
     * One update of every parameter with its gradient scaled by {@code gradScale} (clipping). The
     * parameters must already be tempAttach-ed to {@code stepManager}, where all temporaries land; the
     * moments live in {@code owner}.
     */
    public void update(Map<String, NDArray> params, double lr, double gradScale, NDManager owner, NDManager stepManager) {
        if (!(lr >= 0) || !(gradScale >= 0) || !Double.isFinite(gradScale)) {
            throw new IllegalArgumentException("bad learning rate " + lr + " or gradient scale " + gradScale);
        }
        step++;
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, NDArray> entry : params.entrySet()) {
            String name = entry.getKey();
            NDArray p = entry.getValue();
            NDArray m = moment(firstMoment, name, p, owner);
            NDArray v = moment(secondMoment, name, p, owner);
            // Temporaries land in the step's manager; the moments return to their owner when it closes.
            m.tempAttach(stepManager);
            v.tempAttach(stepManager);
            NDArray scaled = p.getGradient().mul(gradScale);                         // parameter's shape
            m.muli(beta1).addi(scaled.mul(1 - beta1));
            v.muli(beta2).addi(scaled.mul(scaled).muli(1 - beta2));
            NDArray denominator = v.div(correction2).sqrt().addi(eps);
            NDArray update = m.div(correction1).divi(denominator).muli(lr);
            if (weightDecay > 0 && !TrainableMoe.isNorm(name)) {
                p.muli(1 - lr * weightDecay);
            }
            p.subi(update);
        }
    }

    /** Host copies of the moments, for checkpoints: name -> {m, v} as float32. */
    public Map<String, float[][]> state() {
        Map<String, float[][]> out = new LinkedHashMap<>();
        for (String name : firstMoment.keySet()) {
            out.put(name, new float[][] {toFloats(firstMoment.get(name)), toFloats(secondMoment.get(name))});
        }
        return out;
    }

    private static float[] toFloats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDManager tmp = a.getManager().newSubManager()) {
            NDArray c = a.toType(DataType.FLOAT32, true);
            c.attach(tmp);
            return c.toFloatArray();
        }
    }

    /** A torch-owned copy of host values, shaped and typed like {@code like}. */
    private static NDArray owned(NDManager owner, float[] values, NDArray like) {
        try (NDManager tmp = owner.newSubManager()) {
            NDArray copy = tmp.create(values, like.getShape()).toType(like.getDataType(), false).duplicate();
            copy.attach(owner);
            return copy;
        }
    }

    /** Restores moments and step count saved by {@link #state()}. */
    public void restore(Map<String, float[][]> state, long steps, Map<String, NDArray> params, NDManager owner) {
        firstMoment.clear();
        secondMoment.clear();
        for (Map.Entry<String, float[][]> e : state.entrySet()) {
            NDArray p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("optimizer state names unknown parameter " + e.getKey());
            }
            firstMoment.put(e.getKey(), owned(owner, e.getValue()[0], p));
            secondMoment.put(e.getKey(), owned(owner, e.getValue()[1], p));
        }
        this.step = steps;
    }
}
