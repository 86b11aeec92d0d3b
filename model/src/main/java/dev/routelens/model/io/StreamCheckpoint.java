package dev.routelens.model.io;

import dev.routelens.core.AtomicFiles;
import dev.routelens.model.ForwardResult;
import dev.routelens.model.StreamState;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The file a streamed run leaves after each completed layer: its {@link StreamState} (residual stream,
 * finished batches' results and the caller's own state) under a fingerprint of the run's inputs,
 * written atomically and closed by a CRC-32, so a crash leaves either the previous layer's file or
 * this one. A file from another run (other fingerprint) is refused; a damaged one is refused naming it.
 *
 * <p>Layout, big-endian: magic {@code RLSTREAM}, version, fingerprint (UTF), group, layers done, the
 * residuals (count, then length and little-endian float32 values each), the finished results (count,
 * then a presence byte and sums and counts each), the extra bytes (length, bytes), CRC-32 of all before.
 */
public final class StreamCheckpoint {
    private static final long MAGIC = 0x524c53545245414dL; // "RLSTREAM"
    private static final int VERSION = 1;
    private static final int CHUNK_FLOATS = 1 << 18;

    private StreamCheckpoint() {
    }

    /** Writes {@code state} to {@code file} atomically. */
    public static void write(Path file, String fingerprint, StreamState state) throws IOException {
        AtomicFiles.writeBytes(file, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(fingerprint);
            out.writeInt(state.group());
            out.writeInt(state.layersDone());
            out.writeInt(state.residuals().size());
            for (float[] r : state.residuals()) {
                out.writeInt(r.length);
                writeFloats(out, r);
            }
            ForwardResult[] finished = state.finished();
            out.writeInt(finished.length);
            for (ForwardResult f : finished) {
                out.writeBoolean(f != null);
                if (f != null) {
                    out.writeInt(f.nllSum().length);
                    for (int i = 0; i < f.nllSum().length; i++) {
                        out.writeDouble(f.nllSum()[i]);
                        out.writeInt(f.nllCount()[i]);
                    }
                }
            }
            out.writeInt(state.extra().length);
            out.write(state.extra());
            out.flush();
            long crc = checked.getChecksum().getValue();
            new DataOutputStream(raw).writeLong(crc);
        });
    }

    /**
     * The state in {@code file}, or empty when there is none. A file of another run, or one that is
     * damaged, is an {@link IOException} naming the file.
     */
    public static Optional<StreamState> read(Path file, String fingerprint) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            DataInputStream in = new DataInputStream(checked);
            if (in.readLong() != MAGIC) {
                throw new IOException(file + ": not a RouteLens stream checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": stream checkpoint version " + version + ", expected " + VERSION);
            }
            String found = in.readUTF();
            if (!found.equals(fingerprint)) {
                throw new IOException(file + ": checkpoint is from a different model, input or option set; "
                        + "remove it or choose another --out");
            }
            int group = in.readInt();
            int layersDone = in.readInt();
            int count = nonNegative(in.readInt(), file, "residual count");
            List<float[]> residuals = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                residuals.add(readFloats(in, nonNegative(in.readInt(), file, "residual length")));
            }
            int batches = nonNegative(in.readInt(), file, "batch count");
            ForwardResult[] finished = new ForwardResult[batches];
            for (int b = 0; b < batches; b++) {
                if (in.readBoolean()) {
                    int n = nonNegative(in.readInt(), file, "result size");
                    double[] sums = new double[n];
                    int[] counts = new int[n];
                    for (int i = 0; i < n; i++) {
                        sums[i] = in.readDouble();
                        counts[i] = in.readInt();
                    }
                    finished[b] = new ForwardResult(sums, counts);
                }
            }
            byte[] extra = in.readNBytes(nonNegative(in.readInt(), file, "extra length"));
            long expected = checked.getChecksum().getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) {
                throw new IOException(file + ": stream checkpoint is damaged (CRC mismatch); remove it to start afresh");
            }
            return Optional.of(new StreamState(group, layersDone, residuals, finished, extra));
        } catch (EOFException e) {
            throw new IOException(file + ": stream checkpoint is cut short; remove it to start afresh", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": stream checkpoint is damaged (" + e.getMessage() + ")", e);
        }
    }

    private static int nonNegative(int v, Path file, String what) throws IOException {
        if (v < 0) {
            throw new IOException(file + ": stream checkpoint is damaged (negative " + what + ")");
        }
        return v;
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.min(values.length, CHUNK_FLOATS) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - from);
            buf.clear();
            buf.asFloatBuffer().put(values, from, n);
            out.write(buf.array(), 0, n * 4);
        }
    }

    private static float[] readFloats(DataInputStream in, int length) throws IOException {
        float[] values = new float[length];
        byte[] bytes = new byte[Math.min(length, CHUNK_FLOATS) * 4];
        for (int from = 0; from < length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, length - from);
            in.readFully(bytes, 0, n * 4);
            ByteBuffer.wrap(bytes, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, from, n);
        }
        return values;
    }
}
