package dev.routelens.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TsneConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        TsneConfig c = TsneConfig.defaults();
        assertEquals(3, c.dims());
        assertEquals(30.0, c.perplexity());
        assertEquals(1000, c.iterations());
        assertEquals(200.0, c.learningRate());
        assertEquals(TsneMethod.AUTO, c.method());
        assertEquals(0.5, c.theta());
    }

    @Test
    void rejectsBadValuesWithOneLineNamingTheField() {
        TsneConfig c = TsneConfig.defaults();
        IllegalArgumentException dims = assertThrows(IllegalArgumentException.class, () -> c.withDims(4));
        assertTrue(dims.getMessage().contains("dims"), dims.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.withPerplexity(0.5));
        assertThrows(IllegalArgumentException.class, () -> c.withPerplexity(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> c.withIterations(0));
        assertThrows(IllegalArgumentException.class, () -> c.withLearningRate(-1));
        assertThrows(IllegalArgumentException.class, () -> c.withLearningRate(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> c.withMethod(null));
        assertThrows(IllegalArgumentException.class, () -> c.withTheta(-0.1));
        assertTrue(!dims.getMessage().contains("\n"));
    }

    @Test
    void effectivePerplexityIsClampedToAThirdOfTheOtherPoints() {
        TsneConfig c = TsneConfig.defaults(); // perplexity 30
        assertEquals(30.0, c.effectivePerplexity(1000));
        assertEquals(30.0, c.effectivePerplexity(91));       // (91 - 1) / 3 = 30
        assertEquals(13.0, c.effectivePerplexity(40));       // (40 - 1) / 3
        assertEquals(1.0, c.effectivePerplexity(4));
        assertThrows(IllegalArgumentException.class, () -> c.effectivePerplexity(3));
    }

    @Test
    void methodParsesCommandLineSpellings() {
        assertEquals(TsneMethod.BARNES_HUT, TsneMethod.parse("barnes-hut"));
        assertEquals(TsneMethod.EXACT, TsneMethod.parse(" Exact "));
        assertThrows(IllegalArgumentException.class, () -> TsneMethod.parse("umap"));
        assertEquals(TsneMethod.EXACT, Tsne.resolve(TsneMethod.AUTO, Tsne.AUTO_BARNES_HUT_ABOVE));
        assertEquals(TsneMethod.BARNES_HUT, Tsne.resolve(TsneMethod.AUTO, Tsne.AUTO_BARNES_HUT_ABOVE + 1));
        assertEquals(TsneMethod.EXACT, Tsne.resolve(TsneMethod.EXACT, 1_000_000));
    }
}
