package dev.routelens.samples;

import dev.routelens.core.Labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CorpusSplitTest {
    @Test
    void heldOutCountIsMaxOfTwentyAndAQuarterCappedAtTheSize() {
        assertEquals(0, CorpusSplit.heldOutCount(0));
        assertEquals(7, CorpusSplit.heldOutCount(7));
        assertEquals(20, CorpusSplit.heldOutCount(20));
        assertEquals(20, CorpusSplit.heldOutCount(63));
        assertEquals(20, CorpusSplit.heldOutCount(80));
        assertEquals(21, CorpusSplit.heldOutCount(81));
        assertEquals(23, CorpusSplit.heldOutCount(90));
        assertEquals(62, CorpusSplit.heldOutCount(248));
        assertEquals(2155, CorpusSplit.heldOutCount(8620));
    }

    @Test
    void holdsOutTheIdsWithTheSmallestSha256PerLabel() throws Exception {
        SampleSet set = SampleSelectionTest.corpus(); // 40 physics, 30 biology, 3 proteins, 10 other
        CorpusSplit split = CorpusSplit.split(set);
        Set<String> expected = new TreeSet<>();
        for (String label : set.labels()) {
            List<String> byHash = new ArrayList<>();
            for (Sample sample : set.withLabel(label)) {
                byHash.add(hex(sample.id()) + " " + sample.id());
            }
            Collections.sort(byHash); // lower-case hex sorts like the unsigned digest bytes
            int count = Math.min(byHash.size(), Math.max(20, (byHash.size() + 3) / 4));
            byHash.subList(0, count).forEach(entry -> expected.add(entry.substring(65)));
        }
        assertEquals(expected, split.heldOut().stream().map(Sample::id).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(20 + 20 + 3 + 10, split.heldOut().size());
        assertEquals(set.size(), split.train().size() + split.heldOut().size());
        split.train().forEach(sample -> assertTrue(!split.isHeldOut(sample)));
        split.heldOut().forEach(sample -> assertTrue(split.isHeldOut(sample.id())));
    }

    @Test
    void isStableUnderReordering() {
        SampleSet set = SampleSelectionTest.corpus();
        List<Sample> shuffled = new ArrayList<>(set.samples());
        Collections.shuffle(shuffled, new Random(5));
        CorpusSplit a = CorpusSplit.split(set);
        CorpusSplit b = CorpusSplit.split(new SampleSet(shuffled, List.of(), "shuffled"));
        assertEquals(Set.copyOf(a.heldOut()), Set.copyOf(b.heldOut()));
        assertEquals(a.heldOut(), CorpusSplit.split(set).heldOut());
    }

    @Test
    void sharedCorpusHoldsOutAtLeastFifteenPerDiscipline() {
        SampleSet corpus = SharedCorpus.readAll(TestFiles.corpusOrSkip());
        CorpusSplit split = CorpusSplit.split(corpus);
        SampleSet heldOut = new SampleSet(split.heldOut(), List.of(), "held-out");
        for (String label : Labels.FIGURE1) {
            int held = heldOut.countsByLabel().getOrDefault(label, 0);
            assertTrue(held >= 15, label + " holds out " + held);
            assertEquals(CorpusSplit.heldOutCount(corpus.countsByLabel().get(label)), held, label);
        }
        assertEquals(split.heldOut(), CorpusSplit.split(SharedCorpus.readAll(TestFiles.corpusOrSkip())).heldOut());
    }

    private static String hex(String id) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    }
}
