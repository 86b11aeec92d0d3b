package dev.routelens.routing;

import dev.routelens.core.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.routelens.model.ContextWindows;
import dev.routelens.model.LayerTiming;
import dev.routelens.model.MoeConfig;
import dev.routelens.probe.BatchCapture;
import dev.routelens.probe.BatchPlan;
import dev.routelens.probe.CapturedTensor;
import dev.routelens.model.SparseMoe;
import dev.routelens.probe.NameFilter;
import dev.routelens.probe.Probe;
import dev.routelens.model.TokenBatch;
import dev.routelens.core.Digests;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Runs documents through the model with gate capture and sums each document's gate logits per MoE layer
 * (dense layers have no router), the input of the paper's expert-choice vector. Documents longer than the context are cut into
 * chunks of at most {@code max_position_embeddings} tokens whose sums are added (never truncated).
 *
 * <p>With a checkpoint file, finished batches are kept; a later run with the same inputs skips them and ends
 * with identical sums. Batches are planned over the whole input, so a resumed run computes exactly the
 * batches an uninterrupted one would. What reaches the disk, and when:
 * <ul>
 *   <li>without metrics, the file's header (the run's fingerprint) is written with
 *       {@link AtomicFiles} (forced to disk before and after its rename); each finished batch's sums are then
 *       appended as one line and flushed to the operating system, not forced to disk: a killed JVM loses
 *       nothing flushed, a power cut may lose the last lines. A line cut short is dropped on resume and its
 *       batch runs again;
 *   <li>with metrics, the whole state is snapshotted every {@value #SNAPSHOT_EVERY} batches and after the
 *       last one to {@code checkpoint + ".state"} through {@link Snapshots}, that is {@link AtomicFiles}:
 *       forced to disk, so the file holds the old snapshot or the new one;
 *   <li>a layer-streamed model keeps its own per-layer state ({@link StreamedRouting}).
 * </ul>
 */
public final class RoutingPass {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Per-document results.
     *
     * @param logitSums [D][M][E] summed raw gate logits of the M MoE layers
     * @param tokens [D] tokens seen
     * @param chunks [D] chunks the document was cut into
     * @param resumedBatches batches taken from the checkpoint instead of run
     * @param paddingFraction padding share of the planned batches
     * @param layerTimings streamed runs: what each part cost, in run order (embedding -1, head L); else empty
     * @param groups streamed runs: full passes made to keep the residual stream within budget; else 0
     * @param resumedLayers streamed runs: layers taken from the checkpoint instead of run
     * @param layers real index of each MoE layer of {@code logitSums} // [M]
     */
    public record Result(double[][][] logitSums, long[] tokens, int[] chunks, int resumedBatches, double paddingFraction,
                         List<LayerTiming> layerTimings, int groups, int resumedLayers, int[] layers) {
        public Result(double[][][] logitSums, long[] tokens, int[] chunks, int resumedBatches, double paddingFraction,
                      int[] layers) {
            this(logitSums, tokens, chunks, resumedBatches, paddingFraction, List.of(), 0, 0, layers);
        }

        /** The paper's E_T of document d, layer-major over the MoE layers. // [M*E] */
        public double[] expertChoice(int d) {
            return ExpertChoice.fromLogitSums(logitSums[d]);
        }
    }

    /** One chunk of at most max_position_embeddings tokens of document {@code doc}. */
    record Item(int doc, int[] ids) {
    }

    /** What a metrics run snapshots: sums, token counts and the metric counters. */
    private record PassState(double[][][] sums, long[] tokens, RoutingMetrics metrics) implements java.io.Serializable {
    }

    /** Batches between snapshots when metrics are accumulated. */
    static final int SNAPSHOT_EVERY = 10;

    private final Probe probe;
    private final MoeConfig config;

    public RoutingPass(Probe probe) {
        this.probe = probe;
        this.config = probe.model().config();
    }

    /**
     * Runs {@code docs}. {@code metrics} (nullable) also receives every chunk's routing and, in memory, the
     * model's outputs the per-token studies need ({@link OutputCapture}; a layer-streamed run gathers none). With a
     * {@code checkpoint} file, finished work survives a crash: gate-logit sums are appended per batch, and
     * when metrics are accumulated the whole state is snapshotted every {@value #SNAPSHOT_EVERY} batches to
     * {@code checkpoint + ".state"}. {@code progress} gets the number of chunks done so far.
     */
    public Result run(List<LabeledTokens> docs, RoutingMetrics metrics, Path checkpoint, LongConsumer progress)
            throws IOException {
        int[] moeLayers = config.moeLayers();
        int layers = moeLayers.length;
        int experts = config.numExperts();
        List<Item> items = chunk(docs);
        List<int[]> itemIds = items.stream().map(Item::ids).toList();
        BatchPlan plan = probe.plan(itemIds);
        if (probe.model().isStreamed()) {
            return new StreamedRouting(probe).run(docs, items, plan, metrics, checkpoint, fingerprint(docs), progress);
        }
        double[][][] sums = new double[docs.size()][layers][experts];
        long[] tokens = new long[docs.size()];
        int[] chunks = new int[docs.size()];
        for (Item it : items) {
            chunks[it.doc]++;
        }
        String fingerprint = fingerprint(docs);
        boolean[] done = new boolean[plan.batches().size()];
        boolean snapshots = metrics != null && checkpoint != null;
        Path stateFile = snapshots ? checkpoint.resolveSibling(checkpoint.getFileName() + ".state") : null;
        int resumed = 0;
        if (snapshots) {
            var snapshot = Snapshots.load(stateFile, fingerprint);
            if (snapshot.isPresent() && snapshot.get().state() instanceof PassState st
                    && snapshot.get().batchesDone().length == done.length) {
                sums = st.sums();
                System.arraycopy(st.tokens(), 0, tokens, 0, tokens.length);
                metrics.restore(st.metrics());
                System.arraycopy(snapshot.get().batchesDone(), 0, done, 0, done.length);
                for (boolean d : done) {
                    resumed += d ? 1 : 0;
                }
            }
        } else if (checkpoint != null) {
            resumed = restore(checkpoint, fingerprint, plan, items, sums, tokens, done);
        }
        long progressed = 0;
        for (int b = 0; b < plan.batches().size(); b++) {
            if (done[b]) {
                progressed += plan.batches().get(b).length;
            }
        }
        progress.accept(progressed);
        int unsaved = 0;
        try (BufferedWriter log = checkpoint == null || snapshots ? null : openLog(checkpoint, fingerprint, resumed > 0)) {
            for (int b = 0; b < plan.batches().size(); b++) {
                if (done[b]) {
                    continue;
                }
                int[] members = plan.batches().get(b);
                TokenBatch batch = TokenBatch.select(itemIds, members);
                OutputCapture outputs = metrics == null ? null : new OutputCapture(batch, moeLayers, config.topK());
                BatchCapture capture = probe.runBatch(batch, NameFilter.of(SparseMoe.GATE_EVERY_LAYER),
                        outputs == null ? Map.of() : outputs.hooks(), false);
                double[][][] itemSums = new double[members.length][][];
                for (int i = 0; i < members.length; i++) {
                    Item item = items.get(members[i]);
                    float[][][] gate = new float[layers][][];
                    for (int l = 0; l < layers; l++) {
                        gate[l] = capture.perDocument().get(i).get(SparseMoe.gate(moeLayers[l])).matrix();
                    }
                    itemSums[i] = new double[layers][experts];
                    ExpertChoice.addLogitSums(itemSums[i], gate);
                    add(sums[item.doc], itemSums[i]);
                    tokens[item.doc] += item.ids.length;
                    if (metrics != null) {
                        LabeledTokens d = docs.get(item.doc);
                        metrics.add(new DocumentRouting(d.id(), d.label(), d.kind(), item.ids, gate, moeLayers),
                                outputs.document(i));
                    }
                }
                if (log != null) {
                    append(log, b, members, itemSums);
                }
                done[b] = true;
                if (snapshots && (++unsaved >= SNAPSHOT_EVERY || b == plan.batches().size() - 1)) {
                    Snapshots.save(stateFile, new Snapshots.Snapshot(fingerprint, done.clone(),
                            new PassState(sums, tokens, metrics)));
                    unsaved = 0;
                }
                progressed += members.length;
                progress.accept(progressed);
            }
        }
        return new Result(sums, tokens, chunks, resumed, plan.paddingFraction(), moeLayers);
    }

    /** Number of chunks {@code docs} will be run as. */
    public int chunkCount(List<LabeledTokens> docs) {
        return chunk(docs).size();
    }

    /**
     * The total that {@link #run}'s progress counts up to: chunks in memory; on a streamed model, tokens
     * times parts (embedding, each layer, head), so a bar moves within each layer.
     */
    public long progressUnits(List<LabeledTokens> docs) {
        return probe.model().isStreamed() ? StreamedRouting.units(chunk(docs), config) : chunk(docs).size();
    }

    private List<Item> chunk(List<LabeledTokens> docs) {
        List<int[]> ids = docs.stream().map(LabeledTokens::ids).toList();
        return ContextWindows.cut(ids, config.maxPositions()).stream().map(p -> new Item(p.doc(), p.ids())).toList();
    }

    static void add(double[][] into, double[][] more) {
        for (int l = 0; l < into.length; l++) {
            for (int e = 0; e < into[l].length; e++) {
                into[l][e] += more[l][e];
            }
        }
    }

    private String fingerprint(List<LabeledTokens> docs) {
        MessageDigest md = Digests.sha256();
        md.update(configText(config).getBytes(StandardCharsets.UTF_8));
        md.update(probe.model().origin().getBytes(StandardCharsets.UTF_8));
        for (LabeledTokens d : docs) {
            md.update(d.id().getBytes(StandardCharsets.UTF_8));
            for (int id : d.ids()) {
                md.update((byte) (id >>> 24));
                md.update((byte) (id >>> 16));
                md.update((byte) (id >>> 8));
                md.update((byte) id);
            }
        }
        return Digests.hex(md);
    }

    /**
     * The config as text for run fingerprints: its HF JSON for plain Mixtral-layout configs (as before other
     * families were read, so their checkpoints stay valid), else the record's full form, extras included.
     */
    static String configText(MoeConfig c) {
        boolean plainMixtral = c.family().equals(dev.routelens.model.family.ModelFamily.of("mixtral"))
                && c.arch().equals(dev.routelens.model.Architecture.mixtral(c.hiddenSize() / c.numHeads()));
        return plainMixtral ? c.toJson().toString() : c.toString();
    }

    private int restore(Path file, String fingerprint, BatchPlan plan, List<Item> items, double[][][] sums,
                        long[] tokens, boolean[] done) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return 0;
        }
        JsonNode header = parse(lines.get(0));
        if (header == null || !fingerprint.equals(header.path("fingerprint").asText())) {
            throw new IllegalArgumentException(file + ": checkpoint is from a different model or input; "
                    + "remove it or choose another --out");
        }
        int restored = 0;
        for (int i = 1; i < lines.size(); i++) {
            JsonNode line = parse(lines.get(i));
            if (line == null) {
                break; // a line cut short by a crash: that batch runs again
            }
            int b = line.path("batch").asInt(-1);
            if (b < 0 || b >= done.length || done[b]) {
                continue;
            }
            int[] members = plan.batches().get(b);
            JsonNode s = line.path("sums");
            if (s.size() != members.length) {
                throw new IllegalArgumentException(file + ": batch " + b + " does not match the planned batch");
            }
            for (int m = 0; m < members.length; m++) {
                Item item = items.get(members[m]);
                double[][] itemSums = JSON.convertValue(s.get(m), double[][].class);
                add(sums[item.doc], itemSums);
                tokens[item.doc] += item.ids.length;
            }
            done[b] = true;
            restored++;
        }
        return restored;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    private static BufferedWriter openLog(Path file, String fingerprint, boolean keep) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!keep) {
            ObjectNode header = JSON.createObjectNode().put("fingerprint", fingerprint);
            AtomicFiles.write(file, w -> w.write(JSON.writeValueAsString(header) + "\n"));
        } else {
            truncateIncompleteTail(file);
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Drops a last line cut short by a crash, so appended lines start clean. */
    private static void truncateIncompleteTail(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end != bytes.length) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(end);
            }
        }
    }

    private static void append(BufferedWriter log, int batch, int[] members, double[][][] itemSums) throws IOException {
        ObjectNode line = JSON.createObjectNode().put("batch", batch);
        ArrayNode s = line.putArray("sums");
        for (double[][] m : itemSums) {
            s.add(JSON.valueToTree(m));
        }
        log.write(JSON.writeValueAsString(line));
        log.write('\n');
        log.flush();
    }
}
