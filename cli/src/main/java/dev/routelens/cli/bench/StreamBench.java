package dev.routelens.cli.bench;

import dev.routelens.study.LoadedModel;
import dev.routelens.study.Progress;
import dev.routelens.study.StreamProgress;
import dev.routelens.model.ForwardingStreamControl;
import dev.routelens.model.LayerTiming;
import dev.routelens.model.MoeConfig;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.StreamControl;
import dev.routelens.model.StreamState;
import dev.routelens.model.bench.Repeats;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code bench --stream}: one layer-streamed pass with gate capture over the bench documents, split
 * into weight building (reading and widening, or generating) and compute, with the compute's FLOP rate
 * as a fraction of two matmul rates measured in the same run: a square 1024 one and one shaped like
 * the layer's expert projection ([tokens, H] x [H, 2F]).
 */
public final class StreamBench {
    private final LoadedModel loaded;
    private final List<int[]> docs;
    private final long checkpointBytes;

    public StreamBench(LoadedModel loaded, List<int[]> docs, long checkpointBytes) {
        this.loaded = loaded;
        this.docs = docs;
        this.checkpointBytes = checkpointBytes;
    }

    /** Runs the pass; its figures, including every part's timing. */
    public Map<String, Object> run() {
        MoeTransformer model = loaded.model();
        MoeConfig c = model.config();
        Map<String, Object> f = new LinkedHashMap<>();
        long tokens = docs.stream().mapToLong(d -> d.length).sum();
        double square = MatmulRate.of(model, 1024, 1024, 1024);
        double shaped = MatmulRate.of(model, (int) Math.min(tokens, 2048), c.hiddenSize(), 2 * c.intermediateSize());
        List<LayerTiming> timings = new ArrayList<>();
        StreamProgress user = loaded.streaming();
        StreamControl timed = new ForwardingStreamControl(user) {
            @Override
            public void layerDone(LayerTiming t, Supplier<StreamState> state) {
                timings.add(t);
                user.layerDone(t, state);
            }
        };
        long start = System.nanoTime();
        try (Progress bar = new Progress("bench --stream", StreamControl.tokenParts(c, tokens))) {
            user.attach(bar, true);
            new Probe(model).streaming(timed).runWithCache(docs, NameFilter.of("layers.*.moe.gate"), Map.of(), true);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double[] load = timings.stream().filter(t -> t.layer() >= 0 && t.layer() < c.numLayers())
                .mapToDouble(LayerTiming::loadSeconds).toArray();    // [groups * layers]
        double[] compute = timings.stream().filter(t -> t.layer() >= 0 && t.layer() < c.numLayers())
                .mapToDouble(LayerTiming::computeSeconds).toArray(); // [groups * layers]
        double loadTotal = timings.stream().mapToDouble(LayerTiming::loadSeconds).sum();
        double waitTotal = timings.stream().mapToDouble(LayerTiming::waitSeconds).sum();
        double computeTotal = timings.stream().mapToDouble(LayerTiming::computeSeconds).sum();
        f.put("documents", docs.size());
        f.put("tokens", tokens);
        f.put("wall_seconds", wall);
        f.put("weights_seconds", loadTotal);
        f.put("weights_wait_seconds", waitTotal);
        f.put("compute_seconds", computeTotal);
        f.put("layer_weights_median_seconds", Repeats.median(load));
        f.put("layer_compute_median_seconds", Repeats.median(compute));
        f.put("groups", timings.stream().mapToInt(LayerTiming::group).max().orElse(0) + 1);
        long layerValues = c.layerParameterCount();
        f.put("layer_weights_million_values_per_s", layerValues / 1e6 / Repeats.median(load));
        if (checkpointBytes > 0) {
            f.put("checkpoint_gb_per_s", checkpointBytes / 1e9 / loadTotal);
        }
        double flops = (double) tokens * c.flopsPerToken();
        f.put("tokens_per_s", tokens / wall);
        f.put("compute_tokens_per_s", tokens / computeTotal);
        f.put("compute_flops_per_s", flops / computeTotal);
        f.put("matmul_flops_per_s_1024", square);
        f.put("matmul_flops_per_s_layer_shape", shaped);
        f.put("fraction_of_matmul_rate_1024", flops / computeTotal / square);
        f.put("fraction_of_matmul_rate_layer_shape", flops / computeTotal / shaped);
        f.put("peak_rss_mb", Rss.peakMb());
        f.put("parts", user.timingsJson());
        return f;
    }
}
