package dev.routelens.routing;

import dev.routelens.core.AtomicFiles;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The chosen experts of every token of every document at every MoE layer, as a reference model routed them:
 * all a saturation pass keeps of that model (2 bytes per choice, so 26 layers x top-2 is 104 bytes a token).
 * Saved as a small binary file so that a resumed run need not route the reference again.
 */
public final class TopKCapture {
    private static final int MAGIC = 0x544F504B; // "TOPK"

    private final int[] layers;        // [M]
    private final int k;
    private final short[][][] choices; // [D][M][T*k] expert ids, row-major over tokens

    /**
     * @param layers real index of each MoE layer // [M]
     * @param k experts chosen per token
     * @param documents D
     */
    public TopKCapture(int[] layers, int k, int documents) {
        this.layers = layers.clone();
        this.k = k;
        this.choices = new short[documents][][];
    }

    public int[] layers() {
        return layers.clone();
    }

    public int k() {
        return k;
    }

    public int documents() {
        return choices.length;
    }

    /** Keeps document {@code doc}'s choices at MoE layer slot {@code slot}. // rows [T][k] */
    public void put(int doc, int slot, int[][] rows) {
        if (choices[doc] == null) {
            choices[doc] = new short[layers.length][];
        }
        short[] flat = new short[rows.length * k]; // [T*k]
        for (int t = 0; t < rows.length; t++) {
            for (int i = 0; i < k; i++) {
                int e = rows[t][i];
                if (e < 0 || e > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("top-k capture: expert id " + e + " out of range");
                }
                flat[t * k + i] = (short) e;
            }
        }
        choices[doc][slot] = flat;
    }

    /** Document {@code doc}'s choices at MoE layer slot {@code slot}. // [T][k] */
    public int[][] get(int doc, int slot) {
        if (choices[doc] == null || choices[doc][slot] == null) {
            throw new IllegalStateException("top-k capture: document " + doc + " layer " + layers[slot] + " was not captured");
        }
        short[] flat = choices[doc][slot];
        int[][] rows = new int[flat.length / k][k];
        for (int t = 0; t < rows.length; t++) {
            for (int i = 0; i < k; i++) {
                rows[t][i] = flat[t * k + i];
            }
        }
        return rows;
    }

    /** Whether every document was captured. */
    public boolean complete() {
        for (short[][] d : choices) {
            if (d == null) {
                return false;
            }
        }
        return true;
    }

    /** Writes the capture atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeBytes(file, out -> {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(MAGIC);
            d.writeInt(layers.length);
            for (int l : layers) {
                d.writeInt(l);
            }
            d.writeInt(k);
            d.writeInt(choices.length);
            for (short[][] doc : choices) {
                for (short[] slot : doc) {
                    d.writeInt(slot.length);
                    for (short e : slot) {
                        d.writeShort(e);
                    }
                }
            }
            d.flush();
        });
    }

    /**
     * Reads a capture written by {@link #write}; refused (naming the file) when it is cut short or does not match
     * the run's layers, k and document count.
     */
    public static TopKCapture read(Path file, int[] layers, int k, int documents) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream d = new DataInputStream(in);
            if (d.readInt() != MAGIC) {
                throw new IOException(file + ": not a top-k capture");
            }
            int[] l = new int[d.readInt()];
            for (int i = 0; i < l.length; i++) {
                l[i] = d.readInt();
            }
            int kk = d.readInt();
            int docs = d.readInt();
            if (!java.util.Arrays.equals(l, layers) || kk != k || docs != documents) {
                throw new IOException(file + ": captured for other layers, k or documents than this run");
            }
            TopKCapture c = new TopKCapture(layers, k, documents);
            for (int doc = 0; doc < documents; doc++) {
                c.choices[doc] = new short[layers.length][];
                for (int s = 0; s < layers.length; s++) {
                    short[] flat = new short[d.readInt()];
                    for (int i = 0; i < flat.length; i++) {
                        flat[i] = d.readShort();
                    }
                    c.choices[doc][s] = flat;
                }
            }
            return c;
        } catch (EOFException e) {
            throw new IOException(file + ": cut short", e);
        }
    }
}
