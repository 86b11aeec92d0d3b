package dev.routelens.model.tokenizer;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a SentencePiece {@code .model} file (protobuf {@code ModelProto}) that decoding and
 * bounds checks need, parsed in Java so no id ever reaches the native library unchecked.
 *
 * <p>Fields read, by their numbers in upstream SentencePiece's {@code src/sentencepiece_model.proto}
 * (Apache-2.0; not copied here): {@code pieces} (1: piece 1, score 2, type 3), {@code trainer_spec} (2:
 * unk_id 40, bos_id 41, eos_id 42, pad_id 43, unk_surface 44) and {@code normalizer_spec} (3:
 * add_dummy_prefix 3). Defaults are that schema's proto2 defaults.
 *
 * <p>The wire format is decoded by protobuf-java's {@link CodedInputStream} (tags, varints, fixed32,
 * UTF-8 strings, skipping unknown fields, nested limits); this class only maps field numbers. No message
 * classes are generated: that would need protoc at build time and a copy of the upstream {@code .proto},
 * for nine scalar fields. Every error is one line naming the file and the byte offset.
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
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<PieceType> types = new ArrayList<>();
        int unkId = 0;
        int bosId = 1;
        int eosId = 2;
        int padId = -1;
        String unkSurface = " \u2047 ";
        boolean addDummyPrefix = true;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> {
                        int outer = enter(in, tag, source);
                        readPiece(in, pieces, scores, types, source);
                        in.popLimit(outer);
                    }
                    case 2 -> {
                        int outer = enter(in, tag, source);
                        for (int field = in.readTag(); field != 0; field = in.readTag()) {
                            switch (WireFormat.getTagFieldNumber(field)) {
                                case 40 -> unkId = readInt32(in, field, source);
                                case 41 -> bosId = readInt32(in, field, source);
                                case 42 -> eosId = readInt32(in, field, source);
                                case 43 -> padId = readInt32(in, field, source);
                                case 44 -> {
                                    expect(in, field, WireFormat.WIRETYPE_LENGTH_DELIMITED, source);
                                    unkSurface = in.readString();
                                }
                                default -> skip(in, field, source);
                            }
                        }
                        in.popLimit(outer);
                    }
                    case 3 -> {
                        int outer = enter(in, tag, source);
                        for (int field = in.readTag(); field != 0; field = in.readTag()) {
                            if (WireFormat.getTagFieldNumber(field) == 3) {
                                expect(in, field, WireFormat.WIRETYPE_VARINT, source);
                                addDummyPrefix = in.readBool();
                            } else {
                                skip(in, field, source);
                            }
                        }
                        in.popLimit(outer);
                    }
                    default -> skip(in, tag, source);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw malformed(source, in, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by a stream over a byte array
        }
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException(source + ": not a valid SentencePiece model (no pieces)");
        }
        checkSpecial(source, "bos_id", bosId, pieces, types);
        checkSpecial(source, "eos_id", eosId, pieces, types);
        return new SentencePieceModelProto(pieces, scores, types, unkId, bosId, eosId, padId, unkSurface,
                addDummyPrefix);
    }

    /** Reads one {@code SentencePiece} message up to the current limit. */
    private static void readPiece(CodedInputStream in, List<String> pieces, List<Float> scores,
            List<PieceType> types, String source) throws IOException {
        String text = null;
        float score = 0f;
        PieceType type = PieceType.NORMAL;
        for (int field = in.readTag(); field != 0; field = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(field)) {
                case 1 -> {
                    expect(in, field, WireFormat.WIRETYPE_LENGTH_DELIMITED, source);
                    text = in.readString(); // malformed UTF-8 becomes U+FFFD, as before
                }
                case 2 -> {
                    expect(in, field, WireFormat.WIRETYPE_FIXED32, source);
                    score = in.readFloat();
                }
                case 3 -> {
                    expect(in, field, WireFormat.WIRETYPE_VARINT, source);
                    long value = in.readRawVarint64();
                    type = PieceType.of(value);
                    if (type == null) {
                        throw malformed(source, in, "piece " + pieces.size() + " has unknown type " + value);
                    }
                }
                default -> skip(in, field, source);
            }
        }
        if (text == null) {
            throw malformed(source, in, "piece " + pieces.size() + " has no text");
        }
        pieces.add(text);
        scores.add(score);
        types.add(type);
    }

    /**
     * Enters the nested message that {@code tag} starts and returns the enclosing limit for
     * {@link CodedInputStream#popLimit}; a length past the end of the file is refused as truncated.
     */
    private static int enter(CodedInputStream in, int tag, String source) throws IOException {
        expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, source);
        return in.pushLimit(in.readRawVarint32());
    }

    /** Skips an unknown field; a stray end-group tag (which ends no group) is refused. */
    private static void skip(CodedInputStream in, int tag, String source) throws IOException {
        if (!in.skipField(tag)) {
            throw malformed(source, in, "end-group tag of field " + WireFormat.getTagFieldNumber(tag)
                    + " outside a group");
        }
    }

    private static int readInt32(CodedInputStream in, int tag, String source) throws IOException {
        expect(in, tag, WireFormat.WIRETYPE_VARINT, source);
        return in.readInt32(); // negative int32 values are 10-byte two's-complement varints
    }

    /** Fails unless {@code tag}'s wire type is what its field needs. */
    private static void expect(CodedInputStream in, int tag, int wireType, String source) {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw malformed(source, in, "field " + WireFormat.getTagFieldNumber(tag) + " has wire type "
                    + WireFormat.getTagWireType(tag) + ", expected " + wireType);
        }
    }

    private static IllegalArgumentException malformed(String source, CodedInputStream in, String why) {
        return new IllegalArgumentException(source + ": not a valid SentencePiece model (" + why + " at byte "
                + in.getTotalBytesRead() + ")");
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
