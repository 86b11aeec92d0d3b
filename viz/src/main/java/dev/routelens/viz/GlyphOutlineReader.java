package dev.routelens.viz;

import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads back the text of a glyph outline: given a shape that {@code new TextLayout(text, font, frc).getOutline(t)}
 * made, with {@code t} a quarter turn or none, finds {@code text}, {@code font} and the turn. XChart fills such
 * outlines instead of drawing strings (knowm/XChart issue 499), which leaves every title, tick label and legend
 * entry of its charts as curves in an SVG.
 *
 * <p>An outline is compared, segment by segment, with outlines this class makes itself by the same call: first
 * the {@code hints} (strings the chart was given: titles, series names, categories) in each of the {@code fonts},
 * then, for text XChart composes (tick numbers, colour-scale labels, cell values), character by character over the
 * characters of the hints, the digits and number signs, each a prefix of the outline (a depth-first search; up to
 * two spaces may precede a character, as spaces leave no outline). A shape that is not a {@link Path2D.Float}
 * (TextLayout's outlines are) or that no text reproduces is not text to this reader.
 *
 * <p>Hand-written: no library on Maven Central turns glyph outlines back into strings, and XChart 3.8.8 has no
 * switch to draw strings (its PR 501 was closed unmerged).
 */
final class GlyphOutlineReader {

    /** What a glyph outline says: the text, its font, and the quarter turns (0, 1 or -1) of its outline. */
    record Reading(String text, Font font, int quadrants) {
    }

    /** Characters composed text may hold beyond the hints': digits, number signs and the exponent letter. */
    private static final String NUMBER_CHARACTERS = "0123456789.,-+E%\u2212";
    private static final int[] TURNS = {0, -1, 1};
    /** Coordinates agree within this many points (they come from the same computation, so in practice exactly). */
    private static final double TOLERANCE = 1e-3;
    /** The context XChart's heat-map legend lays its labels out in, whatever the canvas. */
    private static final FontRenderContext XCHART_LEGEND_CONTEXT = new FontRenderContext(null, true, false);

    private final List<Font> fonts;
    private final List<String> hints;
    private final char[] alphabet;
    private final Map<FontRenderContext, Map<Outline, Reading>> hinted = new HashMap<>();
    private final Map<FontRenderContext, Map<Font, Map<String, Outline>>> outlines = new HashMap<>();

    GlyphOutlineReader(Collection<Font> fonts, Collection<String> hints) {
        this.fonts = List.copyOf(new LinkedHashSet<>(fonts));
        Set<String> lines = new LinkedHashSet<>();
        Set<Character> characters = new LinkedHashSet<>();
        for (String hint : hints) {
            for (String line : hint.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        for (String text : lines) {
            for (char c : text.toCharArray()) {
                characters.add(c);
            }
        }
        for (char c : NUMBER_CHARACTERS.toCharArray()) {
            characters.add(c);
        }
        characters.remove(' ');
        this.hints = List.copyOf(lines);
        this.alphabet = new char[characters.size()];
        int i = 0;
        for (char c : characters) {
            alphabet[i++] = c;
        }
    }

    /**
     * The text {@code shape} is the outline of, laid out under {@code frc} or under XChart's own context for its
     * heat-map legend (no transform, antialiased, integer metrics); empty when it is no text.
     */
    Optional<Reading> read(Shape shape, FontRenderContext frc) {
        if (!(shape instanceof Path2D.Float)) {
            return Optional.empty();
        }
        Outline drawn = Outline.of(shape, null);
        if (drawn.segments() == 0) {
            return Optional.empty();
        }
        Optional<Reading> reading = read(shape, drawn, frc);
        return reading.isPresent() || frc.equals(XCHART_LEGEND_CONTEXT) ? reading
                : read(shape, drawn, XCHART_LEGEND_CONTEXT);
    }

    private Optional<Reading> read(Shape shape, Outline drawn, FontRenderContext frc) {
        for (int turn : TURNS) {
            Outline upright = turn == 0 ? drawn : Outline.of(shape, AffineTransform.getQuadrantRotateInstance(-turn));
            Reading known = hinted(frc).get(upright);
            if (known != null) {
                return Optional.of(new Reading(known.text(), known.font(), turn));
            }
        }
        for (int turn : TURNS) {
            Outline upright = turn == 0 ? drawn : Outline.of(shape, AffineTransform.getQuadrantRotateInstance(-turn));
            for (Font font : fonts) {
                String text = extend("", 0, upright, font, frc);
                if (text != null) {
                    return Optional.of(new Reading(text, font, turn));
                }
            }
        }
        return Optional.empty();
    }

    /** Every hint in every font, by its outline. */
    private Map<Outline, Reading> hinted(FontRenderContext frc) {
        return hinted.computeIfAbsent(frc, key -> {
            Map<Outline, Reading> byOutline = new HashMap<>();
            for (Font font : fonts) {
                for (String hint : hints) {
                    byOutline.putIfAbsent(outline(hint, font, frc), new Reading(hint, font, 0));
                }
            }
            return byOutline;
        });
    }

    /**
     * {@code prefix} (whose outline is the first {@code matched} segments of {@code target}) extended by characters
     * until it reproduces all of {@code target}; null when no extension does.
     */
    private String extend(String prefix, int matched, Outline target, Font font, FontRenderContext frc) {
        if (matched == target.segments()) {
            return prefix;
        }
        for (int spaces = 0; spaces <= 2; spaces++) {
            String start = prefix + " ".repeat(spaces);
            for (char c : alphabet) {
                String candidate = start + c;
                Outline outline = outline(candidate, font, frc);
                if (outline.segments() > matched && target.startsWith(outline)) {
                    String text = extend(candidate, outline.segments(), target, font, frc);
                    if (text != null) {
                        return text;
                    }
                }
            }
        }
        return null;
    }

    private Outline outline(String text, Font font, FontRenderContext frc) {
        return outlines.computeIfAbsent(frc, key -> new HashMap<>())
                .computeIfAbsent(font, key -> new HashMap<>())
                .computeIfAbsent(text, key -> Outline.of(new TextLayout(text, font, frc).getOutline(null), null));
    }

    /** A path as its segment types and their coordinates, compared by value. */
    private record Outline(int[] types, float[] coords) {

        static Outline of(Shape shape, AffineTransform transform) {
            List<Integer> types = new ArrayList<>();
            float[] coords = new float[64];
            int n = 0;
            float[] segment = new float[6];
            for (PathIterator it = shape.getPathIterator(transform); !it.isDone(); it.next()) {
                int type = it.currentSegment(segment);
                int count = switch (type) {
                    case PathIterator.SEG_MOVETO, PathIterator.SEG_LINETO -> 2;
                    case PathIterator.SEG_QUADTO -> 4;
                    case PathIterator.SEG_CUBICTO -> 6;
                    default -> 0;
                };
                if (n + count > coords.length) {
                    coords = Arrays.copyOf(coords, 2 * coords.length);
                }
                System.arraycopy(segment, 0, coords, n, count);
                n += count;
                types.add(type);
            }
            return new Outline(types.stream().mapToInt(Integer::intValue).toArray(), Arrays.copyOf(coords, n));
        }

        int segments() {
            return types.length;
        }

        /** Whether {@code prefix}'s segments begin this outline. */
        boolean startsWith(Outline prefix) {
            if (prefix.types.length > types.length || prefix.coords.length > coords.length) {
                return false;
            }
            for (int i = 0; i < prefix.types.length; i++) {
                if (prefix.types[i] != types[i]) {
                    return false;
                }
            }
            for (int i = 0; i < prefix.coords.length; i++) {
                if (Math.abs(prefix.coords[i] - coords[i]) > TOLERANCE) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Outline o && Arrays.equals(types, o.types) && Arrays.equals(coords, o.coords);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(types) + Arrays.hashCode(coords);
        }
    }
}
