package dev.routelens.cli.bench;

import dev.routelens.probe.Probe;
import java.util.List;
import java.util.Map;

/**
 * What the in-memory sections time: a probe on the model and the bench documents (token ids, each at most
 * the model's context), with the repeats per figure.
 */
record Workload(Probe probe, List<int[]> docs, int repeats) {
    /** Tokens over all documents. */
    long tokens() {
        return docs.stream().mapToLong(d -> d.length).sum();
    }

    /** One forward pass over every document: no capture, no LM head. */
    void plainPass() {
        probe.runWithCache(docs, n -> false, Map.of(), false);
    }
}
