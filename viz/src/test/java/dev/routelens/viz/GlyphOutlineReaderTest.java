package dev.routelens.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlyphOutlineReaderTest {

    private static final FontRenderContext FRC = new FontRenderContext(AffineTransform.getScaleInstance(2, 2), true, false);
    private static final Font TICKS = PlotStyle.TICK_LABELS;
    private static final Font TITLE = PlotStyle.TITLE;

    private static Shape outline(String text, Font font, AffineTransform turn) {
        return new TextLayout(text, font, FRC).getOutline(turn);
    }

    @Test
    void readsAHintInItsFontAndANumberNobodyNamed() {
        GlyphOutlineReader reader = new GlyphOutlineReader(List.of(TICKS, TITLE), List.of("Expert share, layer 12"));
        GlyphOutlineReader.Reading title = reader.read(outline("Expert share, layer 12", TITLE, null), FRC).orElseThrow();
        assertEquals("Expert share, layer 12", title.text());
        assertEquals(TITLE, title.font());
        assertEquals(0, title.quadrants());
        for (String number : List.of("0", "0.125", "-2.5", "1E-4", "1,800")) {
            GlyphOutlineReader.Reading tick = reader.read(outline(number, TICKS, null), FRC).orElseThrow();
            assertEquals(number, tick.text());
            assertEquals(TICKS, tick.font());
        }
    }

    @Test
    void readsTextTurnedAQuarterAndWordsSpelledFromTheHintsLetters() {
        GlyphOutlineReader reader = new GlyphOutlineReader(List.of(TICKS), List.of("share of slots"));
        GlyphOutlineReader.Reading turned = reader.read(outline("share of slots",  TICKS,
                AffineTransform.getRotateInstance(-Math.PI / 2)), FRC).orElseThrow();
        assertEquals("share of slots", turned.text());
        assertEquals(-1, turned.quadrants());
        assertEquals("lost hats", reader.read(outline("lost hats", TICKS, null), FRC).orElseThrow().text());
    }

    @Test
    void leavesShapesThatAreNoTextAlone() {
        GlyphOutlineReader reader = new GlyphOutlineReader(List.of(TICKS), List.of("E0"));
        Path2D.Float square = new Path2D.Float();
        square.moveTo(0, 0);
        square.lineTo(10, 0);
        square.lineTo(10, 10);
        square.closePath();
        assertTrue(reader.read(square, FRC).isEmpty());
        assertTrue(reader.read(new java.awt.Rectangle(0, 0, 5, 5), FRC).isEmpty());
        assertTrue(reader.read(outline("\u00e9t\u00e9", TICKS, null), FRC).isEmpty(), "letters outside the alphabet");
        assertTrue(reader.read(outline("E0", TITLE, null), FRC).isEmpty(), "a font the chart does not use");
    }
}
