package dev.routelens.model.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.routelens.model.ExpertDispatch;
import dev.routelens.model.ForwardHooks;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.HookSite;
import dev.routelens.model.ModelLoader;
import dev.routelens.model.MoeTransformer;
import dev.routelens.model.Precision;
import dev.routelens.model.StreamControl;
import dev.routelens.model.TokenBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On every family's HF fixture: the hook sites a forward pass visits are exactly {@link MoeTransformer#hookNames()}
 * in order (routed experts that receive no token are not visited), under both expert dispatches; and a
 * layer-streamed model computes what the in-memory one does, dense layers and shared experts included.
 */
class FamilyStructureTest {

    static Stream<String> fixtures() throws Exception {
        return HfFamilyFixturesTest.fixtures();
    }

    private static Path dir(String fixture) throws Exception {
        return Path.of(FamilyStructureTest.class.getResource("/dev/routelens/model/family/" + fixture).toURI());
    }

    /** Records every site it is shown, in order. */
    private static final class Everything implements ForwardHooks {
        final List<String> seen = new ArrayList<>();

        @Override
        public boolean wants(String name) {
            return true;
        }

        @Override
        public NDArray apply(HookSite site, NDArray tensor) {
            seen.add(site.name());
            return null;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void capturingEverythingVisitsExactlyTheHookNames(String fixture) throws Exception {
        int[] ids = new int[24];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 37 + 5) % 90;
        }
        try (MoeTransformer model = ModelLoader.load(dir(fixture), Device.cpu(), Precision.F32)) {
            List<String> names = model.hookNames();
            for (ExpertDispatch dispatch : ExpertDispatch.values()) {
                model.setDispatch(dispatch);
                Everything hooks = new Everything();
                model.forward(TokenBatch.of(ids), hooks, true);
                List<String> expected = names.stream()
                        .filter(n -> !n.contains(".experts.") || hooks.seen.contains(n)).toList();
                assertEquals(expected, hooks.seen, fixture + " " + dispatch);
                long experts = hooks.seen.stream().filter(n -> n.contains(".experts.")).count();
                assertTrue(experts >= model.config().moeLayers().length * model.config().topK(),
                        fixture + ": too few expert sites visited (" + experts + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void streamedMatchesInMemory(String fixture) throws Exception {
        List<TokenBatch> batches = List.of(TokenBatch.of(new int[] {3, 1, 4, 1, 5, 9, 2, 6}),
                new TokenBatch(List.of(new int[] {2, 7, 1, 8, 2, 8}, new int[] {1, 6, 1, 8, 0, 3, 3, 9, 8, 8})));
        List<ForwardHooks> none = List.of(ForwardHooks.NONE, ForwardHooks.NONE);
        try (MoeTransformer memory = ModelLoader.load(dir(fixture), Device.cpu(), Precision.F32);
             MoeTransformer streamed = ModelLoader.loadStreamed(dir(fixture), Device.cpu(), Precision.F32)) {
            ForwardResult[] a = memory.forwardAll(batches, none, true, StreamControl.NONE);
            ForwardResult[] b = streamed.forwardAll(batches, none, true, StreamControl.NONE);
            for (int i = 0; i < a.length; i++) {
                for (int d = 0; d < a[i].nllSum().length; d++) {
                    assertEquals(a[i].nllSum()[d], b[i].nllSum()[d], 1e-6 * Math.max(1, Math.abs(a[i].nllSum()[d])),
                            fixture + " batch " + i + " doc " + d);
                }
            }
        }
    }
}
