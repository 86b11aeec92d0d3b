package dev.routelens.study;

import dev.routelens.model.ForwardResult;

/**
 * The next-token NLL of a hooked run, in nats per predicted token. A document of one token predicts nothing:
 * asking for its NLL is an error, not a NaN that would print as a result.
 *
 * @param result per-document sums and counts
 */
public record NllResult(ForwardResult result) {

    /** Mean NLL per predicted token over every document. */
    public double nll() {
        long count = 0;
        for (int c : result.nllCount()) {
            count += c;
        }
        if (count == 0) {
            throw new IllegalStateException("no token was predicted: every document has a single token");
        }
        return result.meanNll();
    }

    /** Mean NLL per predicted token of document {@code doc}. */
    public double nll(int doc) {
        if (doc < 0 || doc >= documents()) {
            throw new IndexOutOfBoundsException("document " + doc + " of " + documents());
        }
        if (result.nllCount()[doc] == 0) {
            throw new IllegalStateException("document " + doc + " has a single token: nothing was predicted");
        }
        return result.meanNll(doc);
    }

    public int documents() {
        return result.nllSum().length;
    }

    @Override
    public String toString() {
        return documents() == 1 ? String.format("NllResult[nll %.4f]", nll())
                : String.format("NllResult[%d documents, mean nll %.4f]", documents(), nll());
    }
}
