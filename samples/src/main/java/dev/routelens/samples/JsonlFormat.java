package dev.routelens.samples;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * JSON Lines: one object a line with {@code id}, {@code label}, optional {@code kind} (default text),
 * {@code text} and optional {@code source}. Instead of {@code text}, a record may carry {@code title}
 * and {@code abstract} (the shared corpus papers.jsonl), read as title + blank line + abstract; a record
 * with {@code text} ignores them. Other fields (the corpus's {@code categories}) are ignored. The id
 * may be a string or an integer; the other fields must be strings (or null, meaning absent). A line
 * holding anything after its object (a second object, a trailing comma) or a field twice is
 * rejected, so no record is half read. Blank lines are skipped.
 */
final class JsonlFormat implements SampleFormat {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final List<String> FIELDS = List.of("id", "label", "kind", "text", "title", "abstract", "source");
    /** Where Jackson starts pointing into the input or its own API ("(for root starting at [Source: ..."). */
    private static final List<String> POINTERS = List.of("(start marker", "(for ", "at [Source", "[Source", "`");

    /** What is left dangling once a pointer is cut off: "; enable ", ": ", " (from ". */
    private static final Pattern TRAILER = Pattern.compile("[\\s(:;,]*(enable|from|maybe|see)?[\\s(:;,]*$");

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
            out.reject(file, line.number(), "", "malformed JSON: " + userMessage(e));
            return;
        }
        if (node == null || !node.isObject()) {
            out.reject(file, line.number(), "", "malformed JSON: expected one object a line, found "
                    + (node == null ? "nothing" : describe(node)));
            return;
        }
        String id = scalar(node, "id");
        for (String field : FIELDS) {
            JsonNode value = node.get(field);
            boolean allowed = value == null || value.isNull() || value.isTextual()
                    || (field.equals("id") && value.isIntegralNumber());
            if (!allowed) {
                out.reject(file, line.number(), id, "field '" + field + "' must be a string"
                        + (field.equals("id") ? " or an integer" : "") + ", found " + describe(value));
                return;
            }
        }
        String text = text(node);
        if (text == null) {
            out.reject(file, line.number(), id, "no 'text' field (nor 'title' or 'abstract')");
            return;
        }
        out.accept(file, line.number(), id, scalar(node, "label"), scalar(node, "kind"), text,
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

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "true/false";
        }
        if (node.isTextual()) {
            return "a string";
        }
        return node.isNull() ? "null" : "a value";
    }

    /**
     * Jackson's first line without its pointers into the API (backquoted names such as
     * {@code StreamReadFeature.X}, "enable ... to allow") or into the source; column numbers are kept.
     */
    static String userMessage(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        int cut = message.length();
        for (String pointer : POINTERS) {
            int at = message.indexOf(pointer);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        if (cut < message.length()) {
            message = TRAILER.matcher(message.substring(0, cut)).replaceAll("");
            long open = message.chars().filter(c -> c == '(').count() - message.chars().filter(c -> c == ')').count();
            message = message + ")".repeat((int) Math.max(0, open));
        }
        if (message.startsWith("Trailing token")) {
            message = "more than one JSON value on the line (write one object a line)";
        }
        message = message.strip().replace("(not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
                "(comments are not allowed)");
        if (message.isEmpty()) {
            message = "not valid JSON";
        }
        long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
        return column > 0 ? message + " (at character " + column + ")" : message;
    }
}
