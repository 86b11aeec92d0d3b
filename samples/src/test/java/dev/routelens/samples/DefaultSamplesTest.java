package dev.routelens.samples;

import dev.routelens.core.Labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.routelens.core.InputKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openscience.cdk.exception.InvalidSmilesException;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

/** The shipped Figure 1 set: 100 valid, distinct documents in each of the six classes. */
class DefaultSamplesTest {
    private static final Pattern PROTEIN = Pattern.compile("[ACDEFGHIKLMNPQRSTVWYBZXUO]+");
    private static SampleSet set;

    @BeforeAll
    static void read() {
        set = DefaultSamples.read();
    }

    @Test
    void hasOneHundredOfEachFigureClassAndNoErrors() {
        assertEquals(List.of(), set.errors());
        Map<String, Integer> expected = new LinkedHashMap<>();
        Labels.FIGURE1.forEach(label -> expected.put(label, 100));
        assertEquals(expected, set.countsByLabel());
        assertEquals(DefaultSamples.locate(), Path.of(set.source()));
        assertTrue(Files.isRegularFile(DefaultSamples.locate().resolve("molecules.jsonl")));
    }

    @Test
    void idsAndTextsAreUniqueAndKindsMatchLabels() {
        Set<String> ids = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (Sample sample : set.samples()) {
            assertTrue(ids.add(sample.id()), "duplicate id " + sample.id());
            assertTrue(texts.add(sample.text().strip()), "duplicate text in " + sample.id());
            InputKind expected = switch (sample.label()) {
                case Labels.MOLECULES -> InputKind.SMILES;
                case Labels.PROTEINS -> InputKind.PROTEIN;
                default -> InputKind.TEXT;
            };
            assertEquals(expected, sample.kind(), sample.id());
            assertTrue(!sample.source().isBlank(), sample.id() + " names its source");
        }
    }

    @Test
    void everySmilesParsesWithCdkAndEverySequenceIsIupac() {
        SmilesParser parser = new SmilesParser(SilentChemObjectBuilder.getInstance());
        for (Sample sample : set.withLabel(Labels.MOLECULES)) {
            assertTrue(sample.id().matches("mol-\\d{3}"), sample.id());
            assertTrue(sample.source().startsWith("rdkit-data:"), sample.source());
            try {
                IAtomContainer molecule = parser.parseSmiles(sample.text());
                assertTrue(molecule.getAtomCount() >= 10, sample.id() + " is drug-sized: " + sample.text());
            } catch (InvalidSmilesException e) {
                fail(sample.id() + " does not parse: " + e.getMessage());
            }
        }
        for (Sample sample : set.withLabel(Labels.PROTEINS)) {
            assertTrue(sample.id().matches("prot-\\d{3}"), sample.id());
            assertTrue(sample.source().matches("emboss-test:\\S+#[A-Z0-9]{6,10} \\S+"), sample.source());
            assertTrue(PROTEIN.matcher(sample.text()).matches(), sample.id());
        }
    }
}
