package dev.routelens.model;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * A {@link StreamControl} that hands every call to another one; a study subclasses it to add its own
 * checkpoint or timing while the caller's control keeps steering (budget, loading ahead, progress).
 */
public class ForwardingStreamControl implements StreamControl {
    private final StreamControl inner;

    public ForwardingStreamControl(StreamControl inner) {
        this.inner = inner;
    }

    @Override
    public long memoryBudget() {
        return inner.memoryBudget();
    }

    @Override
    public boolean prefetch() {
        return inner.prefetch();
    }

    @Override
    public StreamState resume() throws IOException {
        return inner.resume();
    }

    @Override
    public void groupStarted(int group, int groups, int[] batches) {
        inner.groupStarted(group, groups, batches);
    }

    @Override
    public void batchDone(int layer, int batch, int tokens) {
        inner.batchDone(layer, batch, tokens);
    }

    @Override
    public void layerDone(LayerTiming timing, Supplier<StreamState> state) throws IOException {
        inner.layerDone(timing, state);
    }
}
