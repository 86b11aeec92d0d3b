package dev.routelens.model.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a SentencePiece {@code .model} file (protobuf {@code ModelProto}) that decoding and
 * bounds checks need, parsed in Java so no id ever reaches the native library unchecked.
 *
 * <p>Fields read: {@code pieces} (1: piece 1, score 2, type 3), {@code trainer_spec} (2: unk_id 40,
 * bos_id 41, eos_id 42, pad_id 43, unk_surface 44) and {@code normalizer_spec} (3: add_dummy_prefix 3).
 */
final class SentencePieceModelProto {

    /** SentencePiece's piece types, by their protobuf enum value. */
    enum PieceType {
        NORMAL(1), UNKNOWN(2), CONTROL(3), USER_DEFINED(4), UNUSED(5), BYTE(6);

        final int wireValue;

        PieceType(int wireValue) {
            this.wireValue = wireValue;
        }

        static PieceType of(long wireValue) {
            for (PieceType type : values()) {
                if (type.wireValue == wireValue) {
                    return type;
                }
            }
            return null;
        }
    }

    private final String[] pieces; // [P]
    private final float[] scores; // [P]
    private final PieceType[] types; // [P]
    private final int unkId;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final String unkSurface;
    private final boolean addDummyPrefix;

    private SentencePieceModelProto(List<String> pieces, List<Float> scores, List<PieceType> types, int unkId,
            int bosId, int eosId, int padId, String unkSurface, boolean addDummyPrefix) {
        this.pieces = pieces.toArray(String[]::new);
        this.scores = new float[scores.size()];
        for (int i = 0; i < this.scores.length; i++) {
            this.scores[i] = scores.get(i);
        }
        this.types = types.toArray(PieceType[]::new);
        this.unkId = unkId;
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
        this.unkSurface = unkSurface;
        this.addDummyPrefix = addDummyPrefix;
    }

    /** Reads and checks a {@code .model} file; errors name the file. */
    static SentencePieceModelProto read(Path modelFile) throws IOException {
        return parse(Files.readAllBytes(modelFile), modelFile.toString());
    }

    static SentencePieceModelProto parse(byte[] bytes, String source) {
        ProtoWireReader reader = new ProtoWireReader(bytes, source);
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<PieceType> types = new ArrayList<>();
        int unkId = 0;
        int bosId = 1;
        int eosId = 2;
        int padId = -1;
        String unkSurface = " \u2047 ";
        boolean addDummyPrefix = true;
        while (reader.hasMore()) {
            int tag = reader.nextTag();
            switch (tag >>> 3) {
                case 1 -> {
                    reader.expect(tag, ProtoWireReader.LENGTH_DELIMITED);
                    readPiece(reader.readMessage(), reader, pieces, scores, types);
                }
                case 2 -> {
                    reader.expect(tag, ProtoWireReader.LENGTH_DELIMITED);
                    ProtoWireReader trainer = reader.readMessage();
                    while (trainer.hasMore()) {
                        int field = trainer.nextTag();
                        switch (field >>> 3) {
                            case 40 -> unkId = readInt32(trainer, field);
                            case 41 -> bosId = readInt32(trainer, field);
                            case 42 -> eosId = readInt32(trainer, field);
                            case 43 -> padId = readInt32(trainer, field);
                            case 44 -> {
                                trainer.expect(field, ProtoWireReader.LENGTH_DELIMITED);
                                unkSurface = trainer.readString();
                            }
                            default -> trainer.skip(field & 7);
                        }
                    }
                }
                case 3 -> {
                    reader.expect(tag, ProtoWireReader.LENGTH_DELIMITED);
                    ProtoWireReader normalizer = reader.readMessage();
                    while (normalizer.hasMore()) {
                        int field = normalizer.nextTag();
                        if (field >>> 3 == 3) {
                            normalizer.expect(field, ProtoWireReader.VARINT);
                            addDummyPrefix = normalizer.readVarint() != 0;
                        } else {
                            normalizer.skip(field & 7);
                        }
                    }
                }
                default -> reader.skip(tag & 7);
            }
        }
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException(source + ": not a valid SentencePiece model (no pieces)");
        }
        checkSpecial(source, "bos_id", bosId, pieces, types);
        checkSpecial(source, "eos_id", eosId, pieces, types);
        return new SentencePieceModelProto(pieces, scores, types, unkId, bosId, eosId, padId, unkSurface,
                addDummyPrefix);
    }

    private static void readPiece(ProtoWireReader piece, ProtoWireReader outer, List<String> pieces,
            List<Float> scores, List<PieceType> types) {
        String text = null;
        float score = 0f;
        PieceType type = PieceType.NORMAL;
        while (piece.hasMore()) {
            int field = piece.nextTag();
            switch (field >>> 3) {
                case 1 -> {
                    piece.expect(field, ProtoWireReader.LENGTH_DELIMITED);
                    text = piece.readString();
                }
                case 2 -> {
                    piece.expect(field, ProtoWireReader.FIXED32);
                    score = Float.intBitsToFloat(piece.readFixed32());
                }
                case 3 -> {
                    piece.expect(field, ProtoWireReader.VARINT);
                    long value = piece.readVarint();
                    type = PieceType.of(value);
                    if (type == null) {
                        throw outer.malformed("piece " + pieces.size() + " has unknown type " + value);
                    }
                }
                default -> piece.skip(field & 7);
            }
        }
        if (text == null) {
            throw outer.malformed("piece " + pieces.size() + " has no text");
        }
        pieces.add(text);
        scores.add(score);
        types.add(type);
    }

    private static int readInt32(ProtoWireReader reader, int tag) {
        reader.expect(tag, ProtoWireReader.VARINT);
        return (int) reader.readVarint(); // negative int32 values are 10-byte two's-complement varints
    }

    private static void checkSpecial(String source, String name, int id, List<String> pieces,
            List<PieceType> types) {
        if (id < 0 || id >= pieces.size()) {
            throw new IllegalArgumentException(source + ": " + name + " " + id + " is not a piece id (model has "
                    + pieces.size() + " pieces)");
        }
        if (types.get(id) != PieceType.CONTROL) {
            throw new IllegalArgumentException(source + ": " + name + " " + id + " ('" + pieces.get(id)
                    + "') is not a control piece");
        }
    }

    int pieceCount() {
        return pieces.length;
    }

    String piece(int id) {
        return pieces[id];
    }

    float score(int id) {
        return scores[id];
    }

    PieceType type(int id) {
        return types[id];
    }

    int unkId() {
        return unkId;
    }

    int bosId() {
        return bosId;
    }

    int eosId() {
        return eosId;
    }

    /** The padding piece id, or -1 when the model has none. */
    int padId() {
        return padId;
    }

    /** What an unknown piece decodes to (SentencePiece's {@code unk_surface}). */
    String unkSurface() {
        return unkSurface;
    }

    /** Whether encoding prepends {@code ▁} to the text (LlamaTokenizer's models do). */
    boolean addDummyPrefix() {
        return addDummyPrefix;
    }
}
