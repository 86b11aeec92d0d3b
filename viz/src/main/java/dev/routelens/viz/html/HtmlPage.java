package dev.routelens.viz.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.routelens.core.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * One self-contained page: the shared skeleton (page.html, common.css, common.js) around a view's own body and
 * script ({@code NAME.body.html}, {@code NAME.js}) and its data as script-safe JSON. Placeholders are filled in
 * one pass, so nothing inserted (least of all the data) is ever read as a placeholder.
 */
public final class HtmlPage {
    /** The pages' JSON: compact, with {@link ScriptSafeEscapes}. Thread-safe once configured. */
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setCharacterEscapes(new ScriptSafeEscapes());
    }

    private HtmlPage() {
    }

    /** Writes view {@code name} with {@code data} to {@code file}, atomically. */
    public static void write(Path file, String name, String title, Object data) throws IOException {
        AtomicFiles.writeString(file, render(name, title, data));
    }

    /** The page's text. */
    static String render(String name, String title, Object data) throws JsonProcessingException {
        return fill(resource("page.html"), Map.of(
                "title", escapeText(title),
                "style", resource("common.css"),
                "body", resource(name + ".body.html"),
                "data", scriptSafe(data),
                "script", resource("common.js") + "\n" + resource(name + ".js")));
    }

    /** {@code data} as JSON that cannot end a script block. */
    static String scriptSafe(Object data) throws JsonProcessingException {
        return JSON.writeValueAsString(data);
    }

    /** Replaces each {@code {{key}}} of {@code template} in one left-to-right pass. */
    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + values.values().stream().mapToInt(String::length).sum());
        int at = 0;
        while (true) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                return out.append(template, at, template.length()).toString();
            }
            int close = template.indexOf("}}", open);
            String value = close < 0 ? null : values.get(template.substring(open + 2, close));
            if (value == null) {
                throw new IllegalStateException("page template: no value for " + template.substring(open, Math.min(
                        template.length(), open + 40)));
            }
            out.append(template, at, open).append(value);
            at = close + 2;
        }
    }

    /** Text for an HTML element's content ({@code <title>}): the five characters HTML gives meaning escaped. */
    static String escapeText(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String name) {
        try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("viz.html: resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
