package dev.routelens.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON mapper of the studies' outputs (metrics.json, run.json, summary.json): indented, field order kept. */
public final class Json {
    /** Thread-safe once configured, as Jackson documents. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }
}
