package dev.routelens.model.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.model.ForwardHooks;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.HookSite;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.TokenBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RouteLens against HF transformers itself: each fixture under {@code dev/routelens/model/family/} is a tiny
 * random checkpoint that HF saved (BF16, hub layout) plus the outputs HF computed after reloading it in
 * float32 with eager attention (scripts/hf_family_fixtures.py; the folder's README says what each one
 * exercises). Each document runs alone, as in the fixture, so no padding is involved.
 *
 * <p>Tolerances, all against HF's values (ref):
 * <ul>
 *   <li>gate logits: {@code |a - ref| <= 1e-5 * max(1, max|ref|)}, the max over that document's layer, so
 *       the bound is relative to the layer's logit scale and never tighter than 1e-5 absolute;</li>
 *   <li>top-k: the same expert set (order free) for every token whose k-th and (k+1)-th largest HF logits
 *       differ by more than 1e-4; closer tokens are a near-tie either side may break;</li>
 *   <li>top-k weights, for those tokens, matched by expert id: {@code |a - ref| <= 1e-5} (weights lie in
 *       [0, 1], so this is relative to 1);</li>
 *   <li>shared expert output: as the gate logits, {@code 1e-5 * max(1, max|ref|)} per document and layer;</li>
 *   <li>NLL sum: {@code |a - ref| <= 1e-4 * max(1, |ref|)}, and the count exact;</li>
 *   <li>the layers with a {@code moe.gate} site are exactly {@code moe_layers} (dense layers have none).</li>
 * </ul>
 */
class HfFamilyFixturesTest {
    private static final String ROOT = "/dev/routelens/model/family";
    private static final Pattern MOE_SITE = Pattern.compile("layers\\.(\\d+)\\.moe\\.(gate|topk|topk_weights|shared)");
    private static final double LOGIT_TOL = 1e-5;
    private static final double TIE_GAP = 1e-4;
    private static final double WEIGHT_TOL = 1e-5;
    private static final double NLL_TOL = 1e-4;

    static Stream<String> fixtures() throws Exception {
        Path root = Path.of(HfFamilyFixturesTest.class.getResource(ROOT).toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("expected.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesTransformers(String fixture) throws Exception {
        Path dir = Path.of(HfFamilyFixturesTest.class.getResource(ROOT + "/" + fixture).toURI());
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        TreeSet<Integer> moeLayers = new TreeSet<>();
        expected.get("moe_layers").forEach(n -> moeLayers.add(n.intValue()));
        try (MoeTransformer model = ModelLoader.load(dir, Device.cpu(), Precision.F32)) {
            JsonNode docs = expected.get("documents");
            for (int d = 0; d < docs.size(); d++) {
                JsonNode doc = docs.get(d);
                int[] ids = ints(doc.get("ids"));
                MoeCapture capture = new MoeCapture();
                ForwardResult result = model.forward(TokenBatch.of(ids), capture, true);
                String where = fixture + " doc " + d;
                assertEquals(moeLayers, capture.layers(), where + ": layers with a moe.gate site");
                for (JsonNode layer : doc.get("moe")) {
                    compareLayer(where + " layer " + layer.get("layer").intValue(), layer, capture, ids.length);
                }
                double nll = doc.get("nll_sum").doubleValue();
                assertEquals(doc.get("nll_count").intValue(), result.nllCount()[0], where + ": NLL count");
                assertEquals(nll, result.nllSum()[0], NLL_TOL * Math.max(1, Math.abs(nll)), where + ": NLL sum");
            }
        }
    }

    /** Gate logits, top-k sets, top-k weights by expert and (where HF has one) the shared expert of one layer. */
    private static void compareLayer(String where, JsonNode ref, MoeCapture capture, int tokens) {
        String site = "layers." + ref.get("layer").intValue() + ".moe.";
        double[][] logits = doubles(ref.get("logits"));     // [T][E]
        int[][] topk = intRows(ref.get("topk"));            // [T][k]
        double[][] weights = doubles(ref.get("topk_weights")); // [T][k]
        int experts = logits[0].length;
        int k = topk[0].length;
        float[] gotLogits = capture.floats(site + "gate", tokens * experts, where);
        long[] gotTopk = capture.longs(site + "topk", tokens * k, where);
        float[] gotWeights = capture.floats(site + "topk_weights", tokens * k, where);

        double logitTol = LOGIT_TOL * Math.max(1, maxAbs(logits));
        int compared = 0;
        for (int t = 0; t < tokens; t++) {
            String at = where + " token " + t;
            for (int e = 0; e < experts; e++) {
                int j = e;
                assertEquals(logits[t][e], gotLogits[t * experts + e], logitTol, () -> at + " expert " + j + ": gate logit");
            }
            double[] sorted = logits[t].clone();
            Arrays.sort(sorted);
            if (k < experts && sorted[experts - k] - sorted[experts - k - 1] <= TIE_GAP) {
                continue; // a near-tie at the k-th place: either choice is right
            }
            Map<Integer, Float> mine = new HashMap<>();
            for (int s = 0; s < k; s++) {
                mine.put((int) gotTopk[t * k + s], gotWeights[t * k + s]);
            }
            TreeSet<Integer> want = new TreeSet<>();
            Arrays.stream(topk[t]).forEach(want::add);
            assertEquals(want, new TreeSet<>(mine.keySet()), at + ": top-" + k + " expert set");
            for (int s = 0; s < k; s++) {
                int e = topk[t][s];
                assertEquals(weights[t][s], mine.get(e), WEIGHT_TOL, at + " expert " + e + ": top-k weight");
            }
            compared++;
        }
        assertTrue(compared > 0, where + ": every token was a near-tie, nothing compared");

        if (ref.has("shared")) {
            double[][] shared = doubles(ref.get("shared")); // [T][H]
            int hidden = shared[0].length;
            float[] got = capture.floats(site + "shared", tokens * hidden, where);
            double tol = LOGIT_TOL * Math.max(1, maxAbs(shared));
            for (int t = 0; t < tokens; t++) {
                for (int h = 0; h < hidden; h++) {
                    int tt = t;
                    int hh = h;
                    assertEquals(shared[t][h], got[t * hidden + h], tol, () -> where + " token " + tt + " dim " + hh
                            + ": shared expert output");
                }
            }
        }
    }

    /** Copies every {@code layers.{i}.moe.gate|topk|topk_weights|shared} tensor to the host; changes nothing. */
    private static final class MoeCapture implements ForwardHooks {
        private final Map<String, float[]> floats = new HashMap<>();
        private final Map<String, long[]> longs = new HashMap<>();
        private final TreeSet<Integer> gateLayers = new TreeSet<>();

        @Override
        public boolean wants(String name) {
            return MOE_SITE.matcher(name).matches();
        }

        @Override
        public NDArray apply(HookSite site, NDArray tensor) {
            Matcher m = MOE_SITE.matcher(site.name());
            if (m.matches() && m.group(2).equals("gate")) {
                gateLayers.add(Integer.parseInt(m.group(1)));
            }
            if (site.name().endsWith(".topk")) {
                longs.put(site.name(), tensor.toLongArray());
            } else {
                NDArray f32 = tensor.toType(DataType.FLOAT32, false);
                floats.put(site.name(), f32.toFloatArray());
                if (f32 != tensor) {
                    f32.close();
                }
            }
            return null;
        }

        TreeSet<Integer> layers() {
            return gateLayers;
        }

        float[] floats(String name, int size, String where) {
            float[] v = floats.get(name);
            assertNotNull(v, where + ": no " + name + " site");
            assertEquals(size, v.length, where + ": size of " + name);
            return v;
        }

        long[] longs(String name, int size, String where) {
            long[] v = longs.get(name);
            assertNotNull(v, where + ": no " + name + " site");
            assertEquals(size, v.length, where + ": size of " + name);
            return v;
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).intValue();
        }
        return out;
    }

    private static int[][] intRows(JsonNode rows) {
        int[][] out = new int[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ints(rows.get(i));
        }
        return out;
    }

    private static double[][] doubles(JsonNode rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode row = rows.get(i);
            out[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                out[i][j] = row.get(j).doubleValue();
            }
        }
        return out;
    }

    private static double maxAbs(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).map(Math::abs).max().orElse(0);
    }
}
