package dev.routelens.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.routelens.model.ForwardHooks;
import dev.routelens.model.HookSite;
import dev.routelens.model.TokenBatch;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@link ForwardHooks} a probe gives the model for one batch: runs the scoped hooks, then the run's own, at
 * each site they match (in registration order), then copies the tensor to the host when the capture filter
 * wants it. Shows hooks the caller's document indices ({@link HookSite#document}) when it knows them.
 */
final class Dispatcher implements ForwardHooks {
    /** A hook and the names (or globs) it listens at. */
    record Registration(Predicate<String> matcher, Hook hook) {
    }

    /** A captured tensor, packed over the batch, on the host. */
    private record Packed(long[] shape, float[] floats, long[] longs, long[] rows) {
    }

    private final List<Registration> scoped;
    private final List<Registration> runHooks;
    private final Predicate<String> filter;
    private final int[] documents; // the caller's document of each batch position, or null
    private final Map<String, Boolean> wanted = new HashMap<>();
    private final Map<String, Packed> captured = new LinkedHashMap<>();

    Dispatcher(List<Registration> scoped, List<Registration> runHooks, Predicate<String> filter, int[] documents) {
        this.scoped = scoped;
        this.runHooks = runHooks;
        this.filter = filter;
        this.documents = documents;
    }

    @Override
    public boolean wants(String name) {
        return wanted.computeIfAbsent(name, n -> filter.test(n)
                || scoped.stream().anyMatch(r -> r.matcher.test(n))
                || runHooks.stream().anyMatch(r -> r.matcher.test(n)));
    }

    @Override
    public NDArray apply(HookSite packed, NDArray tensor) {
        HookSite site = documents == null ? packed : packed.withDocuments(documents);
        NDArray current = tensor;
        for (List<Registration> list : List.of(scoped, runHooks)) {
            for (Registration r : list) {
                if (r.matcher.test(site.name())) {
                    NDArray replaced = r.hook.apply(current, site);
                    if (replaced != null) {
                        current = replaced;
                    }
                }
            }
        }
        if (filter.test(site.name())) {
            long[] shape = current.getShape().getShape();
            boolean integral = current.getDataType().isInteger();
            float[] f = null;
            long[] l = null;
            if (integral) {
                l = current.getDataType() == DataType.INT64 ? current.toLongArray()
                        : current.toType(DataType.INT64, false).toLongArray();
            } else {
                f = current.getDataType() == DataType.FLOAT32 ? current.toFloatArray()
                        : current.toType(DataType.FLOAT32, false).toFloatArray();
            }
            captured.put(site.name(), new Packed(shape, f, l, site.rows()));
        }
        return current == tensor ? null : current;
    }

    /** Document b's rows of every captured tensor. */
    Map<String, CapturedTensor> split(TokenBatch batch, int b) {
        Map<String, CapturedTensor> out = ActivationCache.newDocumentMap();
        int from = batch.offset(b);
        int to = from + batch.length(b);
        for (Map.Entry<String, Packed> e : captured.entrySet()) {
            Packed p = e.getValue();
            long width = 1;
            for (int i = 1; i < p.shape.length; i++) {
                width *= p.shape[i];
            }
            int[] positions = null;
            int rowFrom;
            int rowTo;
            if (p.rows == null) {
                rowFrom = from;
                rowTo = to;
            } else {
                rowFrom = lowerBound(p.rows, from);
                rowTo = lowerBound(p.rows, to);
                positions = new int[rowTo - rowFrom];
                for (int r = rowFrom; r < rowTo; r++) {
                    positions[r - rowFrom] = (int) (p.rows[r] - from);
                }
            }
            long[] shape = p.shape.clone();
            shape[0] = rowTo - rowFrom;
            int a = (int) (rowFrom * width);
            int z = (int) (rowTo * width);
            out.put(e.getKey(), new CapturedTensor(e.getKey(), shape,
                    p.floats == null ? null : java.util.Arrays.copyOfRange(p.floats, a, z),
                    p.longs == null ? null : java.util.Arrays.copyOfRange(p.longs, a, z), positions));
        }
        return out;
    }

    private static int lowerBound(long[] sorted, long key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
