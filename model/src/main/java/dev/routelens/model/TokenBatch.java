package dev.routelens.model;

import java.util.Arrays;
import java.util.List;

/**
 * Documents of different lengths run together. The residual stream is packed (one row per real
 * token, documents in order); attention alone works on a padded [B, T] layout.
 *
 * @param docs token ids per document; none empty
 */
public record TokenBatch(List<int[]> docs) {

    public TokenBatch {
        if (docs == null || docs.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one document");
        }
        for (int b = 0; b < docs.size(); b++) {
            if (docs.get(b) == null || docs.get(b).length == 0) {
                throw new IllegalArgumentException("document " + b + " of the batch has no tokens");
            }
        }
        docs = List.copyOf(docs);
    }

    /** A batch of one document. */
    public static TokenBatch of(int[] ids) {
        return new TokenBatch(List.of(ids));
    }

    /** The documents {@code members} of {@code docs} (indices into it), in that order, as one batch. */
    public static TokenBatch select(List<int[]> docs, int[] members) {
        List<int[]> chosen = new java.util.ArrayList<>(members.length);
        for (int i : members) {
            chosen.add(docs.get(i));
        }
        return new TokenBatch(chosen);
    }

    /** B, the number of documents. */
    public int size() {
        return docs.size();
    }

    /** T of document b. */
    public int length(int b) {
        return docs.get(b).length;
    }

    /** T_max, the padded length. */
    public int maxLength() {
        int t = 0;
        for (int[] d : docs) {
            t = Math.max(t, d.length);
        }
        return t;
    }

    /** N, the number of real tokens. */
    public int tokenCount() {
        int n = 0;
        for (int[] d : docs) {
            n += d.length;
        }
        return n;
    }

    /** Packed row where document b starts; {@code offset(size())} is N. */
    public int offset(int b) {
        int o = 0;
        for (int i = 0; i < b; i++) {
            o += docs.get(i).length;
        }
        return o;
    }

    /** All ids, packed. // [N] */
    public long[] packedIds() {
        long[] out = new long[tokenCount()];
        int o = 0;
        for (int[] d : docs) {
            for (int id : d) {
                out[o++] = id;
            }
        }
        return out;
    }

    /** For each packed row, its row in the flattened padded [B*T] layout. // [N] */
    public long[] paddedRows() {
        int t = maxLength();
        long[] out = new long[tokenCount()];
        int o = 0;
        for (int b = 0; b < docs.size(); b++) {
            for (int p = 0; p < docs.get(b).length; p++) {
                out[o++] = (long) b * t + p;
            }
        }
        return out;
    }

    /** Whether padding is needed at all (false when every document has length T_max). */
    public boolean isRagged() {
        int t = maxLength();
        return docs.stream().anyMatch(d -> d.length != t);
    }

    /** Fraction of the padded [B, T] grid that is padding. */
    public double paddingFraction() {
        long grid = (long) size() * maxLength();
        return grid == 0 ? 0 : 1.0 - tokenCount() / (double) grid;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TokenBatch other) || other.docs.size() != docs.size()) {
            return false;
        }
        for (int i = 0; i < docs.size(); i++) {
            if (!Arrays.equals(docs.get(i), other.docs.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int[] d : docs) {
            h = 31 * h + Arrays.hashCode(d);
        }
        return h;
    }
}
