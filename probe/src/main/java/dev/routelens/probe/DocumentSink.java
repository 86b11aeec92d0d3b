package dev.routelens.probe;

import java.util.Map;

/** Receives each document's captures as soon as its batch has run. */
@FunctionalInterface
public interface DocumentSink {
    /**
     * @param doc index of the document in the caller's list
     * @param captured hook name -> tensor, no padding
     * @param nllSum summed next-token NLL (0 when the head was skipped)
     * @param nllCount predicted tokens (0 when the head was skipped)
     */
    void accept(int doc, Map<String, CapturedTensor> captured, double nllSum, int nllCount);
}
