package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.routelens.model.checkpoint.Checkpoint;
import dev.routelens.model.checkpoint.CheckpointException;
import dev.routelens.model.checkpoint.CheckpointExporter;
import dev.routelens.model.checkpoint.SafeDType;
import dev.routelens.model.io.StreamCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layer-streamed model gives what the in-memory model gives: same gate logits, top-k and NLL. */
class StreamedForwardTest {
    static final MoeConfig GQA = ForwardMatchesReferenceTest.tiny(3, 4, 2, 8, false);
    static final MoeConfig TIED = new MoeConfig("SciDFM", 61, 32, 2, 2, 1, 24, 8, 2, 1e-5, 500, 64, true, 1, 2);

    static List<TokenBatch> batches(MoeConfig c, long seed) {
        Random r = new Random(seed);
        List<TokenBatch> out = new ArrayList<>();
        out.add(new TokenBatch(List.of(ForwardMatchesReferenceTest.randomDoc(r, 13, c.vocabSize()),
                ForwardMatchesReferenceTest.randomDoc(r, 5, c.vocabSize()))));
        out.add(new TokenBatch(List.of(ForwardMatchesReferenceTest.randomDoc(r, 21, c.vocabSize()))));
        out.add(new TokenBatch(List.of(ForwardMatchesReferenceTest.randomDoc(r, 8, c.vocabSize()),
                ForwardMatchesReferenceTest.randomDoc(r, 8, c.vocabSize()),
                ForwardMatchesReferenceTest.randomDoc(r, 3, c.vocabSize()))));
        return out;
    }

    static List<GateCapture> captures(int n) {
        List<GateCapture> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new GateCapture());
        }
        return out;
    }

    /** Gate logits within 1e-6 relative, identical top-k, NLL within 1e-6. */
    static void assertSame(MoeConfig c, List<GateCapture> want, ForwardResult[] wantNll, List<GateCapture> got,
                           ForwardResult[] gotNll, String label) {
        for (int b = 0; b < want.size(); b++) {
            for (int l = 0; l < c.numLayers(); l++) {
                float[] g0 = want.get(b).floats.get(SparseMoe.gate(l));
                float[] g1 = got.get(b).floats.get(SparseMoe.gate(l));
                assertEquals(g0.length, g1.length);
                for (int i = 0; i < g0.length; i++) {
                    assertEquals(g0[i], g1[i], 1e-6 * Math.max(1, Math.abs(g0[i])),
                            label + ": gate logit, batch " + b + " layer " + l + " index " + i);
                }
                assertArrayEquals(want.get(b).longs.get(SparseMoe.topk(l)),
                        got.get(b).longs.get(SparseMoe.topk(l)), label + ": top-k, batch " + b + " layer " + l);
            }
            for (int d = 0; d < wantNll[b].nllSum().length; d++) {
                assertEquals(wantNll[b].meanNll(d), gotNll[b].meanNll(d), 1e-6, label + ": NLL, batch " + b + " doc " + d);
                assertEquals(wantNll[b].nllCount()[d], gotNll[b].nllCount()[d]);
            }
        }
    }

    /** Budget, loading ahead and an optional state to resume from. */
    record Control(long budget, boolean ahead, StreamState from, List<LayerTiming> timings,
                   List<StreamState> saved, int crashAfter) implements StreamControl {
        Control(long budget, boolean ahead) {
            this(budget, ahead, null, new ArrayList<>(), new ArrayList<>(), Integer.MAX_VALUE);
        }

        @Override
        public long memoryBudget() {
            return budget;
        }

        @Override
        public boolean prefetch() {
            return ahead;
        }

        @Override
        public StreamState resume() {
            return from;
        }

        @Override
        public void layerDone(LayerTiming timing, Supplier<StreamState> state) {
            timings.add(timing);
            if (timing.layer() >= 0 && timing.layer() < 1000) {
                StreamState s = state.get();
                if (s != null) {
                    saved.add(s);
                    if (saved.size() >= crashAfter) {
                        throw new IllegalStateException("simulated crash after " + saved.size() + " layers");
                    }
                }
            }
        }
    }

    @Test
    void streamedEqualsInMemoryWithGroupsAndLoadingAhead() throws Exception {
        for (MoeConfig c : List.of(GQA, TIED)) {
            RandomWeights w = new RandomWeights(5, 0.3);
            List<TokenBatch> batches = batches(c, 3);
            List<GateCapture> want = captures(batches.size());
            ForwardResult[] wantNll;
            try (MoeTransformer memory = MoeTransformer.create(c, w, Device.cpu(), Precision.F32)) {
                wantNll = memory.forwardAll(batches, want, true, StreamControl.NONE);
            }
            try (MoeTransformer streamed = MoeTransformer.streamed(c, w, null, Device.cpu(), Precision.F32)) {
                assertTrue(streamed.isStreamed());
                for (Control control : List.of(new Control(Long.MAX_VALUE, false), new Control(1, true),
                        new Control(30L * c.hiddenSize() * 4, false))) {
                    List<GateCapture> got = captures(batches.size());
                    ForwardResult[] gotNll = streamed.forwardAll(batches, got, true, control);
                    assertSame(c, want, wantNll, got, gotNll, c.modelType() + " budget " + control.budget());
                    long groups = control.timings().stream().filter(t -> t.layer() == -1).count();
                    long expectedGroups = StreamGroups.split(batches, c, Precision.F32, control.budget()).size();
                    assertEquals(expectedGroups, groups, "one embedding pass per group");
                    assertEquals(groups * (c.numLayers() + 2), control.timings().size(), "each part timed once per group");
                }
            }
        }
    }

    @Test
    void oneBudgetByteMakesOneGroupPerBatch() {
        List<TokenBatch> batches = batches(GQA, 1);
        assertEquals(3, StreamGroups.split(batches, GQA, Precision.F32, 1).size());
        assertEquals(1, StreamGroups.split(batches, GQA, Precision.F32, Long.MAX_VALUE).size());
        assertThrows(IllegalArgumentException.class, () -> StreamGroups.split(batches, GQA, Precision.F32, 0));
    }

    @Test
    void resumingFromASavedLayerGivesIdenticalResults(@TempDir Path dir) throws Exception {
        RandomWeights w = new RandomWeights(8, 0.3);
        List<TokenBatch> batches = batches(GQA, 4);
        long budget = 30L * GQA.hiddenSize() * 4; // two groups
        try (MoeTransformer streamed = MoeTransformer.streamed(GQA, w, null, Device.cpu(), Precision.F32)) {
            List<GateCapture> whole = captures(batches.size());
            ForwardResult[] wholeNll = streamed.forwardAll(batches, whole, true, new Control(budget, false));
            // Crash after the 4th saved layer: the second group has done one layer.
            Control crashing = new Control(budget, false, null, new ArrayList<>(), new ArrayList<>(), 4);
            assertThrows(IllegalStateException.class,
                    () -> streamed.forwardAll(batches, captures(batches.size()), true, crashing));
            StreamState last = crashing.saved().get(crashing.saved().size() - 1);
            assertEquals(1, last.group());
            assertEquals(1, last.layersDone());
            Path file = dir.resolve("stream.state");
            StreamCheckpoint.write(file, "run-a", last);
            StreamState restored = StreamCheckpoint.read(file, "run-a").orElseThrow();
            assertEquals(last, restored);
            assertThrows(IOException.class, () -> StreamCheckpoint.read(file, "run-b"), "another run's file is refused");

            List<GateCapture> resumed = captures(batches.size());
            ForwardResult[] resumedNll = streamed.forwardAll(batches, resumed, true,
                    new Control(budget, false, restored, new ArrayList<>(), new ArrayList<>(), Integer.MAX_VALUE));
            List<int[]> groups = StreamGroups.split(batches, GQA, Precision.F32, budget);
            for (int b = 0; b < batches.size(); b++) {
                assertArrayEquals(wholeNll[b].nllSum(), resumedNll[b].nllSum(), "NLL of batch " + b + " bit-identical");
            }
            for (int b : groups.get(1)) {
                for (int l = 1; l < GQA.numLayers(); l++) {
                    assertArrayEquals(whole.get(b).floats.get(SparseMoe.gate(l)),
                            resumed.get(b).floats.get(SparseMoe.gate(l)), "gate logits after resume");
                }
                assertTrue(resumed.get(b).floats.get(SparseMoe.gate(0)) == null, "layer 0 is not run again");
            }
            StreamState wrong = new StreamState(5, 1, last.residuals(), last.finished(), null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> streamed.forwardAll(batches, captures(batches.size()), true,
                            new Control(budget, false, wrong, new ArrayList<>(), new ArrayList<>(), Integer.MAX_VALUE)));
            assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        }
    }

    @Test
    void resumingAtResidMidStreamsOnlyTheRest() throws Exception {
        RandomWeights w = new RandomWeights(9, 0.3);
        List<TokenBatch> batches = batches(GQA, 6);
        try (MoeTransformer memory = MoeTransformer.create(GQA, w, Device.cpu(), Precision.F32);
             MoeTransformer streamed = MoeTransformer.streamed(GQA, w, null, Device.cpu(), Precision.F32)) {
            List<ResumeFromResidualTest.Recorder> base = new ArrayList<>();
            for (int b = 0; b < batches.size(); b++) {
                base.add(new ResumeFromResidualTest.Recorder());
            }
            memory.forwardAll(batches, base, true, StreamControl.NONE);
            ResumePoint at = ResumePoint.residMid(1);
            List<float[]> residuals = base.stream().map(r -> r.residuals.get(at.hookName())).toList();
            List<GateCapture> want = captures(batches.size());
            List<GateCapture> got = captures(batches.size());
            ForwardResult[] wantNll = memory.forwardAllFrom(at, residuals, batches, want, true, StreamControl.NONE);
            Control control = new Control(Long.MAX_VALUE, false);
            ForwardResult[] gotNll = streamed.forwardAllFrom(at, residuals, batches, got, true, control);
            for (int b = 0; b < batches.size(); b++) {
                for (int l = 1; l < GQA.numLayers(); l++) {
                    assertArrayEquals(want.get(b).longs.get(SparseMoe.topk(l)),
                            got.get(b).longs.get(SparseMoe.topk(l)));
                }
                assertArrayEquals(wantNll[b].nllSum(), gotNll[b].nllSum(), 1e-9);
            }
            assertEquals(List.of(1, 2, 3), control.timings().stream().map(LayerTiming::layer).toList(),
                    "layers 1..L-1 and the head are built, nothing before");
        }
    }

    @Test
    void f16StreamedEqualsF16InMemoryOnTheCpu() throws Exception {
        RandomWeights w = new RandomWeights(2, 0.3);
        List<TokenBatch> batches = batches(GQA, 8);
        List<GateCapture> want = captures(batches.size());
        List<GateCapture> got = captures(batches.size());
        ForwardResult[] wantNll;
        ForwardResult[] gotNll;
        try (MoeTransformer memory = MoeTransformer.create(GQA, w, Device.cpu(), Precision.F16)) {
            wantNll = memory.forwardAll(batches, want, true, StreamControl.NONE);
        }
        try (MoeTransformer streamed = MoeTransformer.streamed(GQA, w, null, Device.cpu(), Precision.F16)) {
            gotNll = streamed.forwardAll(batches, got, true, new Control(1, true));
        }
        assertSame(GQA, want, wantNll, got, gotNll, "f16");
    }

    @Test
    void nanoCheckpointStreamedEqualsInMemory() throws Exception {
        Path nano = Path.of("nano");
        List<TokenBatch> batches;
        List<GateCapture> want;
        ForwardResult[] wantNll;
        try (MoeTransformer memory = ModelLoader.load(nano, Device.cpu(), Precision.F32)) {
            batches = batches(memory.config(), 12);
            want = captures(batches.size());
            wantNll = memory.forwardAll(batches, want, true, StreamControl.NONE);
        }
        try (MoeTransformer streamed = ModelLoader.loadStreamed(nano, Device.cpu(), Precision.F32)) {
            List<GateCapture> got = captures(batches.size());
            ForwardResult[] gotNll = streamed.forwardAll(batches, got, true, new Control(Long.MAX_VALUE, true));
            assertSame(streamed.config(), want, wantNll, got, gotNll, "nano");
        }
    }

    @Test
    void aBrokenLayerIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        MoeConfig c = ForwardMatchesReferenceTest.tiny(4, 4, 2, 4, false);
        String broken = "model.layers.3.block_sparse_moe.experts.1.w2.weight";
        for (SafeDType dtype : List.of(SafeDType.F32, SafeDType.BF16)) {
            Path model = dir.resolve(dtype.name());
            CheckpointExporter.write(model, c, new RandomWeights(1, 0.3), dtype);
            // The writer refuses NaN, so spoil value 7 of the last layer's tensor on disk.
            long offset;
            try (Checkpoint checkpoint = Checkpoint.open(model)) {
                offset = checkpoint.entry(broken).begin();
            }
            Path file = model.resolve(Checkpoint.SINGLE_FILE);
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int at = (int) (8 + buf.getLong(0) + offset + 7L * dtype.bytes());
            if (dtype == SafeDType.F32) {
                buf.putFloat(at, Float.NaN);
            } else {
                buf.putShort(at, (short) 0x7fc0);
            }
            Files.write(file, bytes);
            long start = System.nanoTime();
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> ModelLoader.loadStreamed(model, Device.cpu(), Precision.F32));
            assertTrue(e.getMessage().contains(broken) && e.getMessage().contains("index 7"), e.getMessage());
            assertTrue((System.nanoTime() - start) / 1e9 < 10, "refused at once");
        }
        Path missing = dir.resolve("missing");
        CheckpointExporter.write(missing, c, new RandomWeights(1, 0.3), SafeDType.F32);
        MoeConfig deeper = ForwardMatchesReferenceTest.tiny(5, 4, 2, 4, false);
        deeper.write(missing.resolve("config.json"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> ModelLoader.loadStreamed(missing, Device.cpu(), Precision.F32));
        assertTrue(e.getMessage().contains("num_hidden_layers is 5") && e.getMessage().contains("name 4 layers"),
                e.getMessage());
    }

    @Test
    void weightsBeyondF16AreRefusedForTheF16PathOnly(@TempDir Path dir) throws Exception {
        MoeConfig c = ForwardMatchesReferenceTest.tiny(2, 4, 2, 4, false);
        RandomWeights good = new RandomWeights(1, 0.3);
        WeightSource big = new WeightSource() {
            @Override
            public float[] read(String name, long... shape) throws IOException {
                float[] v = good.read(name, shape);
                if (name.equals("model.layers.1.self_attn.o_proj.weight")) {
                    v[3] = 70000f;
                }
                return v;
            }

            @Override
            public String describe() {
                return "big";
            }
        };
        CheckpointExporter.write(dir, c, big, SafeDType.F32);
        ModelLoader.loadStreamed(dir, Device.cpu(), Precision.F32).close();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> ModelLoader.loadStreamed(dir, Device.cpu(), Precision.F16));
        assertTrue(e.getMessage().contains("o_proj") && e.getMessage().contains("F16"), e.getMessage());
    }

    @Test
    void streamedRandomInitEqualsInMemoryRandomInit() throws Exception {
        Path config = Path.of("configs", "tiny-gqa.json");
        List<GateCapture> want;
        List<GateCapture> got;
        ForwardResult[] wantNll;
        ForwardResult[] gotNll;
        List<TokenBatch> batches;
        try (MoeTransformer memory = ModelLoader.randomInit(config, 3, Device.cpu(), Precision.F32)) {
            batches = batches(memory.config(), 2);
            want = captures(batches.size());
            wantNll = memory.forwardAll(batches, want, true, StreamControl.NONE);
        }
        try (MoeTransformer streamed = ModelLoader.randomInitStreamed(config, 3, Device.cpu(), Precision.F32)) {
            got = captures(batches.size());
            gotNll = streamed.forwardAll(batches, got, true, StreamControl.NONE);
        }
        assertSame(MoeConfig.read(config), want, wantNll, got, gotNll, "random init");
    }
}
