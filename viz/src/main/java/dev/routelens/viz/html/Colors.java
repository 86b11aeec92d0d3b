package dev.routelens.viz.html;

import java.awt.Color;
import java.util.Locale;

/** CSS colour strings of the plots' colours, so a page and its PNG share one palette. */
public final class Colors {
    private Colors() {
    }

    /** {@code #rrggbb}. */
    public static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
