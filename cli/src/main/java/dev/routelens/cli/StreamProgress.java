package dev.routelens.cli;

import dev.routelens.model.LayerTiming;
import dev.routelens.model.MemoryPlan;
import dev.routelens.model.StreamControl;
import dev.routelens.model.StreamState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The CLI's side of a layer-streamed run: the memory budget and loading ahead chosen by the options,
 * a note on stderr when the document set runs in several groups, the progress bar's "layer i/L"
 * message (or the bar itself when no study drives it), and every part's timing for the run record.
 */
public final class StreamProgress implements StreamControl {
    private final long budget;
    private final boolean loadAhead;
    private final int layers;
    private final List<LayerTiming> timings = new ArrayList<>();
    private Progress bar;
    private boolean countsTokens;
    private long units;
    private boolean groupsNoted;
    private int groups = 1;

    StreamProgress(long budget, boolean loadAhead, int layers) {
        this.budget = budget;
        this.loadAhead = loadAhead;
        this.layers = layers;
    }

    /**
     * Shows progress on {@code bar}; with {@code countsTokens} this control steps it (tokens per part),
     * else a study steps it and this only names the layer.
     */
    public StreamProgress attach(Progress bar, boolean countsTokens) {
        this.bar = bar;
        this.countsTokens = countsTokens;
        this.units = 0;
        return this;
    }

    @Override
    public long memoryBudget() {
        return budget;
    }

    @Override
    public boolean prefetch() {
        return loadAhead;
    }

    @Override
    public void groupStarted(int group, int groups, int[] batches) {
        if (groups > 1 && !groupsNoted) {
            groupsNoted = true;
            System.err.printf("routelens: the residual stream exceeds the memory budget of %s: running the "
                    + "documents in %d groups, each a full pass over the layers (raise --memory-budget for fewer)%n",
                    MemoryPlan.gb(budget), groups);
        }
        message(group, groups, "embedding");
    }

    @Override
    public void batchDone(int layer, int batch, int tokens) {
        if (countsTokens && bar != null) {
            units += tokens;
            bar.accept(units);
        }
    }

    @Override
    public void layerDone(LayerTiming timing, Supplier<StreamState> state) {
        timings.add(timing);
        int next = timing.layer() + 1;
        message(timing.group(), -1, next < layers ? "layer " + (next + 1) + "/" + layers : "LM head");
    }

    private void message(int group, int count, String part) {
        if (count > 0) {
            groups = count;
        }
        if (bar != null) {
            bar.message(groups > 1 ? "group " + (group + 1) + "/" + groups + ", " + part : part);
        }
    }

    /** Every part's cost so far, for run.json: group, layer (-1 embedding, L head), seconds, tokens. */
    public List<Map<String, Object>> timingsJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LayerTiming t : timings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", t.group());
            m.put("layer", t.layer() < 0 ? "embedding" : t.layer() >= layers ? "head" : (Object) t.layer());
            m.put("load_seconds", t.loadSeconds());
            m.put("wait_seconds", t.waitSeconds());
            m.put("compute_seconds", t.computeSeconds());
            m.put("tokens", t.tokens());
            out.add(m);
        }
        return out;
    }

    /** The run record's "stream" section. */
    Map<String, Object> record() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("memory_budget_bytes", budget);
        m.put("load_ahead", loadAhead);
        m.put("groups", groups);
        m.put("parts", timingsJson());
        return m;
    }
}
