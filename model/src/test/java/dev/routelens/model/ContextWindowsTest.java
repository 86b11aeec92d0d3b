package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContextWindowsTest {

    @Test
    void piecesAreConsecutiveAndAtMostTheWindow() {
        int[] ids = {1, 2, 3, 4, 5, 6, 7};
        List<int[]> pieces = ContextWindows.cut(ids, 3);
        assertEquals(3, pieces.size());
        assertArrayEquals(new int[] {1, 2, 3}, pieces.get(0));
        assertArrayEquals(new int[] {7}, pieces.get(2));
        assertSame(ids, ContextWindows.cut(ids, 7).get(0), "a document that fits is its own piece");
        List<ContextWindows.Piece> all = ContextWindows.cut(List.of(new int[] {9}, ids), 3);
        assertEquals(List.of(0, 1, 1, 1), all.stream().map(ContextWindows.Piece::doc).toList());
        assertEquals(List.of(0, 0, 3, 6), all.stream().map(ContextWindows.Piece::start).toList());
    }

    @Test
    void selectPicksTheMembersInOrder() {
        List<int[]> docs = List.of(new int[] {1}, new int[] {2, 2}, new int[] {3, 3, 3});
        assertEquals(new TokenBatch(List.of(docs.get(2), docs.get(0))), TokenBatch.select(docs, new int[] {2, 0}));
    }
}
