package dev.routelens.viz.html;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * probe's routing page: each token coloured by its first-choice expert at a chosen MoE layer, a hover card with
 * its top-k experts and weights at every MoE layer, and the document's E_T as a layers x experts heat map.
 * Molecules and proteins (one token per atom or residue) show each token as a chip.
 *
 * @param title the heading
 * @param documents one or more documents; the page offers a selector when there are several
 */
public record RoutingPage(String title, List<Document> documents) {

    public RoutingPage {
        documents = List.copyOf(documents);
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("routing page: no document");
        }
    }

    /**
     * One document's routing. M is the number of MoE layers, T of tokens, k of experts chosen per token.
     *
     * @param id document id, or null for a --text input
     * @param label class label, or null
     * @param kind input kind id (text, smiles, protein)
     * @param tokens each token's text // [T]
     * @param layers the real index of each MoE layer // [M]
     * @param experts experts per MoE layer (E)
     * @param topk chosen experts, best first // [M][T][k]
     * @param weights their routing weights // [M][T][k]
     * @param expertChoice E_T: per MoE layer, the softmax of the gate logits summed over tokens // [M][E]
     */
    public record Document(String id, String label, String kind, List<String> tokens, int[] layers, int experts,
                           int[][][] topk, float[][][] weights, double[][] expertChoice) {
        public Document {
            int m = layers.length;
            if (topk.length != m || weights.length != m || expertChoice.length != m) {
                throw new IllegalArgumentException("routing page: " + m + " MoE layers but top-k for " + topk.length
                        + ", weights for " + weights.length + ", E_T for " + expertChoice.length);
            }
            for (int l = 0; l < m; l++) {
                if (topk[l].length != tokens.size() || weights[l].length != tokens.size()) {
                    throw new IllegalArgumentException("routing page: layer " + layers[l] + " routes " + topk[l].length
                            + " tokens, the document has " + tokens.size());
                }
            }
        }
    }

    /** Writes the page to {@code file}, atomically. */
    public void write(Path file) throws IOException {
        HtmlPage.write(file, "routing", title, Map.of("title", title, "documents", documents));
    }
}
