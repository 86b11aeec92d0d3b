package dev.routelens.samples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/**
 * JSON Lines: one object a line with {@code id}, {@code label}, optional {@code kind} (default text),
 * {@code text} and optional {@code source}. Instead of {@code text}, a record may carry {@code title}
 * and {@code abstract} (the shared corpus papers.jsonl), read as title + blank line + abstract.
 * Blank lines are skipped.
 */
final class JsonlFormat implements SampleFormat {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public void read(Path file, SampleCollector out) {
        String name = file.toString();
        Utf8Lines.read(file, line -> readLine(name, line, out));
    }

    private static void readLine(String file, DecodedLine line, SampleCollector out) {
        if (!line.ok()) {
            out.reject(file, line);
            return;
        }
        if (line.isBlank()) {
            return;
        }
        String control = SampleCollector.controlCharacter(line.text());
        if (control != null) {
            out.reject(file, line.number(), "", control);
            return;
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(line.text());
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            out.reject(file, line.number(), "", "malformed JSON: " + message.lines().findFirst().orElse("").strip());
            return;
        }
        if (node == null || !node.isObject()) {
            out.reject(file, line.number(), "", "malformed JSON: expected an object");
            return;
        }
        String id = scalar(node, "id");
        for (String field : new String[] {"id", "label", "kind", "text", "title", "abstract", "source"}) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull() && !value.isValueNode()) {
                out.reject(file, line.number(), id, "field '" + field + "' must be a string");
                return;
            }
        }
        out.accept(file, line.number(), id, scalar(node, "label"), scalar(node, "kind"), text(node),
                scalar(node, "source"));
    }

    private static String text(JsonNode node) {
        String text = scalar(node, "text");
        if (text != null) {
            return text;
        }
        String title = scalar(node, "title");
        String summary = scalar(node, "abstract");
        if (title != null && summary != null) {
            return title + "\n\n" + summary;
        }
        return title != null ? title : summary;
    }

    private static String scalar(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
