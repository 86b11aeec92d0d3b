package dev.routelens.samples;

import dev.routelens.core.Labels;
import dev.routelens.core.InputKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates records as the format readers hand them over, keeps the good ones and turns each bad one
 * into a {@link SampleError}. Ids are unique across everything one collector sees; the first valid
 * record with an id wins. Labels are compared by {@link Labels#key}: the Figure 1 spelling is used for
 * its classes, and for any other label the first spelling seen, so that "Physics", " physics" and
 * "PHYSICS" are one class. Checks each record's kind with one {@link InputChecks}.
 */
final class SampleCollector {
    private final InputChecks checks = new InputChecks();
    private final List<Sample> samples = new ArrayList<>();
    private final List<SampleError> errors = new ArrayList<>();
    private final Map<String, String> firstSeenAt = new HashMap<>();
    private final Map<String, String> labelSpelling = new HashMap<>();

    /** Records a problem that is not tied to one well-formed record (a bad line, a bad header). */
    void reject(String file, long line, String id, String reason) {
        errors.add(new SampleError(file, line, id, reason));
    }

    void reject(String file, DecodedLine line) {
        reject(file, line.number(), "", line.problem());
    }

    /**
     * Validates one record and keeps it or records why not.
     *
     * @param kind the kind as written, or null for text
     * @param source where it came from, or null for {@code file:line}
     */
    void accept(String file, long line, String id, String label, String kind, String text, String source) {
        String cleanId = id == null ? "" : id.strip();
        String reason = problem(cleanId, label, kind, text);
        if (reason != null) {
            reject(file, line, cleanId, reason);
            return;
        }
        InputKind inputKind = kind == null || kind.isBlank() ? InputKind.TEXT : InputKind.parse(kind);
        String normalized = InputChecks.normalize(inputKind, text);
        String kindProblem = checks.problem(inputKind, normalized);
        if (kindProblem != null) {
            reject(file, line, cleanId, kindProblem);
            return;
        }
        String first = firstSeenAt.putIfAbsent(cleanId, file + ":" + line);
        if (first != null) {
            reject(file, line, cleanId, "duplicate id '" + cleanId + "' (first at " + first + ")");
            return;
        }
        String origin = source == null || source.isBlank() ? file + ":" + line : source.strip();
        String spelling = labelSpelling.computeIfAbsent(Labels.key(label), key -> Labels.canonical(label));
        samples.add(new Sample(cleanId, spelling, inputKind, normalized, origin, file, line));
    }

    /** How many records were kept or rejected so far: a format that adds none read nothing. */
    int outcomes() {
        return samples.size() + errors.size();
    }

    SampleSet toSet(String source) {
        return new SampleSet(samples, errors, source);
    }

    /** Problems that do not depend on the kind; null when there are none. */
    private static String problem(String id, String label, String kind, String text) {
        if (id.isEmpty()) {
            return "missing id";
        }
        if (label == null || Labels.canonical(label).isEmpty()) {
            return "missing label";
        }
        String idControl = anyControlCharacter(id);
        if (idControl != null) {
            return "the id has " + idControl;
        }
        String labelControl = anyControlCharacter(label.strip());
        if (labelControl != null) {
            return "the label has " + labelControl;
        }
        if (kind != null && !kind.isBlank()) {
            try {
                InputKind.parse(kind);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        if (text == null || text.isBlank()) {
            return "empty text";
        }
        String control = controlCharacter(text);
        if (control != null) {
            return control;
        }
        return longLine(text);
    }

    /** The first control character other than \n, \t and \r, described; null when there is none. */
    static String controlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.getType(c) == Character.CONTROL && c != '\n' && c != '\t' && c != '\r') {
                return String.format(Locale.ROOT, "control character U+%04X at character %d", (int) c, i + 1);
            }
        }
        return null;
    }

    /** The first control character, tab and line breaks included, described; null when there is none. */
    private static String anyControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return String.format(Locale.ROOT, "a control character (U+%04X) at character %d", (int) value.charAt(i), i + 1);
            }
        }
        return null;
    }

    private static String longLine(String text) {
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n' || text.charAt(i) == '\r') {
                if (i - start > Utf8Lines.MAX_LINE_CHARS) {
                    return String.format(Locale.ROOT, "a line of the text is longer than %,d characters",
                            Utf8Lines.MAX_LINE_CHARS);
                }
                start = i + 1;
            }
        }
        return null;
    }
}
