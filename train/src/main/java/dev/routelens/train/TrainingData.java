package dev.routelens.train;

import dev.routelens.model.tokenizer.Tokenizer;
import dev.routelens.samples.CorpusSplit;
import dev.routelens.samples.Sample;
import dev.routelens.samples.SampleReader;
import dev.routelens.samples.SampleSet;
import dev.routelens.samples.SharedCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The training stream and the held-out documents.
 *
 * <p>Training documents: the shared corpus's {@link CorpusSplit#train()} part (papers of every label
 * as title + abstract, molecules as SMILES, proteins as sequences) plus every sample of the project's
 * sample directory, minus any document whose text equals a held-out one. Each is encoded (BOS first when
 * the tokenizer's convention adds one, see {@link Tokenizer#bos()}) and followed by EOS. Epoch {@code e} concatenates the documents in an order shuffled by
 * {@code (seed, e)} and cuts the stream into rows of T tokens (the tail that does not fill a row is
 * dropped), so long proteins span several rows. Row {@code r} of the run is row {@code r mod R} of
 * epoch {@code r / R}; the data position saved with a checkpoint is simply the next row index.
 *
 * <p>Held-out documents: {@link CorpusSplit#heldOut()} of the shared corpus, never trained on.
 */
public final class TrainingData {
    /** A held-out document, encoded (BOS first when the tokenizer adds one, no EOS). */
    public record HeldOut(String id, String label, int[] ids) {
    }

    private final List<int[]> docs;          // each [len], [BOS] ... EOS
    private final List<HeldOut> heldOut;
    private final int rowLength;
    private final long seed;
    private final long streamTokens;
    private final long rowsPerEpoch;
    private final Map<String, int[]> counts; // label -> {train docs, held-out docs}
    private final int droppedDuplicates;
    private long cachedEpoch = -1;
    private int[] cachedStream;               // [R * T]

    private TrainingData(List<int[]> docs, List<HeldOut> heldOut, int rowLength, long seed,
                         Map<String, int[]> counts, int droppedDuplicates) {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("no training documents");
        }
        this.docs = List.copyOf(docs);
        this.heldOut = List.copyOf(heldOut);
        this.rowLength = rowLength;
        this.seed = seed;
        long total = 0;
        for (int[] d : docs) {
            total += d.length;
        }
        this.streamTokens = total;
        this.rowsPerEpoch = total / rowLength;
        if (rowsPerEpoch == 0) {
            throw new IllegalArgumentException("training data has " + total + " tokens, fewer than one row of " + rowLength);
        }
        this.counts = counts;
        this.droppedDuplicates = droppedDuplicates;
    }

    /** Reads, splits and encodes the sources named by {@code config}. */
    public static TrainingData load(TrainConfig config, Tokenizer tokenizer) {
        List<Sample> train = new ArrayList<>();
        List<Sample> held = new ArrayList<>();
        if (config.corpusDir() != null) {
            SampleSet corpus = SharedCorpus.readAll(config.corpusDir());
            CorpusSplit split = CorpusSplit.split(corpus);
            train.addAll(split.train());
            held.addAll(split.heldOut());
        }
        if (config.samplesDir() != null) {
            train.addAll(SampleReader.read(config.samplesDir()).samples());
        }
        return of(train, held, tokenizer, config.seqLength(), config.seed());
    }

    /** Encodes explicit training and held-out samples (tests use it with small fixed sets). */
    public static TrainingData of(List<Sample> train, List<Sample> held, Tokenizer tokenizer, int rowLength, long seed) {
        Set<String> heldTexts = new HashSet<>();
        for (Sample s : held) {
            heldTexts.add(s.kind() + "\u0000" + s.text().strip());
        }
        Map<String, int[]> counts = new LinkedHashMap<>();
        List<int[]> docs = new ArrayList<>();
        int dropped = 0;
        for (Sample s : train) {
            if (heldTexts.contains(s.kind() + "\u0000" + s.text().strip())) {
                dropped++;
                continue;
            }
            int[] ids = encode(tokenizer, s);
            int[] withEos = java.util.Arrays.copyOf(ids, ids.length + 1);
            withEos[ids.length] = tokenizer.eosId();
            docs.add(withEos);
            counts.computeIfAbsent(s.label(), k -> new int[2])[0]++;
        }
        List<HeldOut> heldOut = new ArrayList<>();
        for (Sample s : held) {
            heldOut.add(new HeldOut(s.id(), s.label(), encode(tokenizer, s)));
            counts.computeIfAbsent(s.label(), k -> new int[2])[1]++;
        }
        return new TrainingData(docs, heldOut, rowLength, seed, counts, dropped);
    }

    private static int[] encode(Tokenizer tokenizer, Sample s) {
        try {
            return tokenizer.encode(s.text(), s.kind());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sample " + s.id() + " (" + s.source() + "): " + e.getMessage(), e);
        }
    }

    /** Training documents, encoded, each [BOS] ... EOS (BOS when the tokenizer adds one). */
    public List<int[]> trainingDocuments() {
        return docs;
    }

    public List<HeldOut> heldOut() {
        return heldOut;
    }

    /** Tokens in one epoch's stream (all training documents with their EOS). */
    public long streamTokens() {
        return streamTokens;
    }

    /** R, full rows per epoch. */
    public long rowsPerEpoch() {
        return rowsPerEpoch;
    }

    /** label -> {training documents, held-out documents}. */
    public Map<String, int[]> countsByLabel() {
        return counts;
    }

    /** Training samples left out because their text equals a held-out document's. */
    public int droppedDuplicates() {
        return droppedDuplicates;
    }

    /** Rows {@code first .. first+count-1} of the run, each [T]. Deterministic in (seed, row index). */
    public int[][] rows(long first, int count) {
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            long r = first + i;
            int[] stream = epochStream(r / rowsPerEpoch);
            int start = (int) ((r % rowsPerEpoch) * rowLength);
            out[i] = java.util.Arrays.copyOfRange(stream, start, start + rowLength);
        }
        return out;
    }

    private int[] epochStream(long epoch) {
        if (epoch != cachedEpoch) {
            int[] order = new int[docs.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + epoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int[] stream = new int[(int) streamTokens];
            int o = 0;
            for (int idx : order) {
                int[] d = docs.get(idx);
                System.arraycopy(d, 0, stream, o, d.length);
                o += d.length;
            }
            cachedStream = stream;
            cachedEpoch = epoch;
        }
        return cachedStream;
    }
}
