package dev.routelens.routing;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Real decoder-layer indices of the MoE layers a routing table covers, as {@code int[]} ascending
 * ({@link dev.routelens.model.MoeConfig#moeLayers()}). Routing arrays are indexed by position in this list
 * (M entries); everything written out names the real index.
 */
public final class MoeLayers {
    private MoeLayers() {
    }

    /** 0..count-1: a model whose layers are all MoE layers. */
    public static int[] all(int count) {
        int[] layers = new int[Math.max(0, count)];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = i;
        }
        return layers;
    }

    /** Whether {@code layers} is 0..M-1. */
    public static boolean isAll(int[] layers) {
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** Refuses a list that is not {@code count} non-negative, strictly ascending indices; {@code where} prefixes the message. */
    public static void check(int[] layers, int count, String where) {
        if (layers == null || layers.length != count) {
            throw new IllegalArgumentException(where + (layers == null ? "no" : String.valueOf(layers.length))
                    + " layer indices for " + count + " MoE layers");
        }
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] < 0 || (i > 0 && layers[i] <= layers[i - 1])) {
                throw new IllegalArgumentException(where + "MoE layer indices must be non-negative and ascending, got "
                        + Arrays.toString(layers));
            }
        }
    }

    /** Position of real layer {@code layer} in {@code layers}, or -1 when it is not an MoE layer there. */
    public static int slotOf(int[] layers, int layer) {
        int slot = Arrays.binarySearch(layers, layer);
        return slot < 0 ? -1 : slot;
    }

    /** "1, 2, 3": for messages that list the MoE layers. */
    public static String list(int[] layers) {
        return Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }
}
