package dev.routelens.probe;

import dev.routelens.model.ContextWindows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Joins the pieces of documents cut to the context ({@link ContextWindows}) back into one result per document:
 * receives each piece's captures, in any order, and hands a document to {@code sink} once all its pieces are
 * in, with every captured tensor's rows concatenated in token order (per-expert {@code positions} shifted to
 * document-local tokens) and the NLL sums and counts added. Sites are in the order of {@code order} (the
 * model's hook names), whatever piece first captured them.
 */
final class PieceJoiner implements DocumentSink {
    private final List<ContextWindows.Piece> pieces;
    private final List<String> order;
    private final DocumentSink sink;
    private final int[] missing;                              // pieces still to come, per document
    private final List<List<Map<String, CapturedTensor>>> parts; // per document, per piece in token order
    private final double[] sums;
    private final int[] counts;
    private final int[] firstPiece;                           // index of each document's first piece

    PieceJoiner(List<ContextWindows.Piece> pieces, int documents, List<String> order, DocumentSink sink) {
        this.pieces = pieces;
        this.order = order;
        this.sink = sink;
        this.missing = new int[documents];
        this.parts = new ArrayList<>(documents);
        this.sums = new double[documents];
        this.counts = new int[documents];
        this.firstPiece = new int[documents];
        for (int d = 0; d < documents; d++) {
            parts.add(new ArrayList<>());
        }
        for (int p = pieces.size() - 1; p >= 0; p--) {
            int d = pieces.get(p).doc();
            missing[d]++;
            firstPiece[d] = p;
        }
        for (int d = 0; d < documents; d++) {
            for (int k = 0; k < missing[d]; k++) {
                parts.get(d).add(null);
            }
        }
    }

    @Override
    public void accept(int piece, Map<String, CapturedTensor> captured, double nllSum, int nllCount) {
        int d = pieces.get(piece).doc();
        parts.get(d).set(piece - firstPiece[d], captured);
        sums[d] += nllSum;
        counts[d] += nllCount;
        if (--missing[d] == 0) {
            sink.accept(d, join(d), sums[d], counts[d]);
            parts.set(d, null);
        }
    }

    /** Document d's pieces joined, site by site in forward order. */
    private Map<String, CapturedTensor> join(int d) {
        List<Map<String, CapturedTensor>> docParts = parts.get(d);
        Map<String, CapturedTensor> out = ActivationCache.newDocumentMap();
        for (String name : order) {
            List<CapturedTensor> found = new ArrayList<>();
            List<Integer> starts = new ArrayList<>();
            for (int k = 0; k < docParts.size(); k++) {
                CapturedTensor t = docParts.get(k).get(name);
                if (t != null) {
                    found.add(t);
                    starts.add(pieces.get(firstPiece[d] + k).start());
                }
            }
            if (!found.isEmpty()) {
                out.put(name, concat(name, found, starts));
            }
        }
        return out;
    }

    /** Rows of {@code tensors} one after another; positions moved by each piece's first token. */
    private static CapturedTensor concat(String name, List<CapturedTensor> tensors, List<Integer> starts) {
        if (tensors.size() == 1 && starts.get(0) == 0) {
            return tensors.get(0);
        }
        CapturedTensor first = tensors.get(0);
        long[] shape = first.shape().clone();
        int rows = 0;
        for (CapturedTensor t : tensors) {
            rows += t.rows();
        }
        shape[0] = rows;
        int width = first.width();
        float[] floats = first.floats() == null ? null : new float[rows * width];
        long[] longs = first.longs() == null ? null : new long[rows * width];
        int[] positions = first.positions() == null ? null : new int[rows];
        int row = 0;
        for (int k = 0; k < tensors.size(); k++) {
            CapturedTensor t = tensors.get(k);
            if (floats != null) {
                System.arraycopy(t.floats(), 0, floats, row * width, t.rows() * width);
            } else {
                System.arraycopy(t.longs(), 0, longs, row * width, t.rows() * width);
            }
            if (positions != null) {
                for (int r = 0; r < t.rows(); r++) {
                    positions[row + r] = t.positions()[r] + starts.get(k);
                }
            }
            row += t.rows();
        }
        return new CapturedTensor(name, shape, floats, longs, positions);
    }
}
