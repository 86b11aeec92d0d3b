package dev.routelens.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassStyleTest {

    @Test
    void figure1ClassesHaveFixedDistinctStylesWhateverTheirPosition() {
        List<ClassStyle> styles = ClassStyle.forLabels(ClassStyle.FIGURE1_CLASSES);
        assertEquals(6, styles.stream().map(ClassStyle::color).distinct().count());
        assertEquals(6, styles.stream().map(s -> s.marker().getClass()).distinct().count());
        ClassStyle physics = ClassStyle.forLabel("physics");
        assertEquals(physics.color(), ClassStyle.forLabels(List.of("zeta", "Physics ", "alpha")).get(1).color());
        // Colours differ enough to tell apart: at least 60 apart in some RGB channel.
        for (int a = 0; a < styles.size(); a++) {
            for (int b = a + 1; b < styles.size(); b++) {
                var p = styles.get(a).color();
                var q = styles.get(b).color();
                int gap = Math.max(Math.abs(p.getRed() - q.getRed()),
                        Math.max(Math.abs(p.getGreen() - q.getGreen()), Math.abs(p.getBlue() - q.getBlue())));
                assertTrue(gap >= 60, styles.get(a).label() + " vs " + styles.get(b).label());
            }
        }
    }

    @Test
    void otherLabelsGetFallbackColoursInOrder() {
        List<ClassStyle> styles = ClassStyle.forLabels(List.of("zeta", "biology", "alpha"));
        assertNotEquals(styles.get(0).color(), styles.get(2).color());
        for (ClassStyle fixed : ClassStyle.forLabels(ClassStyle.FIGURE1_CLASSES)) {
            assertNotEquals(fixed.color(), styles.get(0).color());
            assertNotEquals(fixed.color(), styles.get(2).color());
        }
        assertEquals(styles.get(0), ClassStyle.forLabels(List.of("zeta", "alpha")).get(0));
    }

    @Test
    void orderPutsFigure1ClassesFirstThenTheRestAsGiven() {
        assertEquals(List.of("physics", "proteins", "zeta", "alpha"),
                ClassStyle.order(List.of("zeta", "proteins", "physics", "zeta", "alpha")));
    }
}
