package dev.routelens.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts documents longer than a context window ({@code max_position_embeddings}, or an evaluation window) into
 * consecutive pieces of at most {@code window} tokens: {@code [0, w)}, {@code [w, 2w)}, ..., the last one
 * shorter. Each piece is its own forward pass: attention does not cross pieces, and a piece's first token
 * predicts nothing. A document that fits is one piece, its own array. Every study that runs long documents
 * cuts them here, so their results agree.
 */
public final class ContextWindows {

    /**
     * One piece of a document.
     *
     * @param doc index of the document in the list that was cut
     * @param start the piece's first token in its document
     * @param ids the piece's tokens // [at most window]
     */
    public record Piece(int doc, int start, int[] ids) {
    }

    private ContextWindows() {
    }

    /** {@code ids} in pieces of at most {@code window} tokens, in order. */
    public static List<int[]> cut(int[] ids, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("a context window needs at least one token, got " + window);
        }
        if (ids.length <= window) {
            return List.of(ids);
        }
        List<int[]> pieces = new ArrayList<>((ids.length + window - 1) / window);
        for (int from = 0; from < ids.length; from += window) {
            pieces.add(Arrays.copyOfRange(ids, from, Math.min(ids.length, from + window)));
        }
        return pieces;
    }

    /** Every document of {@code docs} in pieces of at most {@code window} tokens, document by document. */
    public static List<Piece> cut(List<int[]> docs, int window) {
        List<Piece> pieces = new ArrayList<>();
        for (int d = 0; d < docs.size(); d++) {
            int start = 0;
            for (int[] ids : cut(docs.get(d), window)) {
                pieces.add(new Piece(d, start, ids));
                start += ids.length;
            }
        }
        return pieces;
    }
}
