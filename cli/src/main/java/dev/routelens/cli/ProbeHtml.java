package dev.routelens.cli;

import dev.routelens.model.MoeConfig;
import dev.routelens.model.SparseMoe;
import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.routing.ExpertChoice;
import dev.routelens.samples.Sample;
import dev.routelens.viz.html.RoutingPage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * probe --html: the documents' routing as one page ({@link RoutingPage}), from the same captures as the JSON,
 * so the page and the JSON never disagree.
 */
final class ProbeHtml {
    private ProbeHtml() {
    }

    /** Writes {@code file}; {@code named} when the documents came from a sample file and carry ids and labels. */
    static void write(Path file, String model, List<Sample> samples, List<int[]> ids, Tokenizer tokenizer, MoeConfig c,
                      List<ProbeRun.Document> results, boolean named) throws IOException {
        List<RoutingPage.Document> docs = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Sample s = samples.get(i);
            docs.add(document(named ? s.id() : null, named ? s.label() : null, s.kind().id(), ids.get(i), tokenizer, c,
                    results.get(i)));
        }
        String what = docs.size() == 1 ? ids.get(0).length + " tokens" : docs.size() + " documents";
        new RoutingPage("probe: routing of " + what + " · " + model, docs).write(file);
    }

    /** One document's tokens, top-k and weights at every MoE layer, and its E_T. */
    static RoutingPage.Document document(String id, String label, String kind, int[] ids, Tokenizer tokenizer,
                                         MoeConfig c, ProbeRun.Document d) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int token : ids) {
            tokens.add(tokenizer.token(token));
        }
        int[] layers = c.moeLayers();
        int m = layers.length;
        int[][][] topk = new int[m][][]; // [M][T][k]
        float[][][] weights = new float[m][][]; // [M][T][k]
        float[][][] gates = new float[m][][]; // [M][T][E], pre-softmax logits
        for (int l = 0; l < m; l++) {
            topk[l] = d.captured().get(SparseMoe.topk(layers[l])).intMatrix();
            weights[l] = d.captured().get(SparseMoe.topkWeights(layers[l])).matrix();
            gates[l] = d.captured().get(SparseMoe.gate(layers[l])).matrix();
        }
        double[][] sums = new double[m][c.numExperts()]; // [M][E]
        ExpertChoice.addLogitSums(sums, gates);
        double[] et = ExpertChoice.fromLogitSums(sums); // [M*E]
        return new RoutingPage.Document(id, label, kind, tokens, layers, c.numExperts(), topk, weights,
                ExpertChoice.toMatrix(et, c.numExperts()));
    }
}
