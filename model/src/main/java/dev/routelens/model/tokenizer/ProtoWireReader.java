package dev.routelens.model.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Reads the protobuf wire format by hand: enough for SentencePiece's {@code ModelProto}.
 *
 * <p>Every error names the source file and the byte offset.
 */
final class ProtoWireReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private final String source;
    private final int end;
    private int position;

    ProtoWireReader(byte[] bytes, String source) {
        this(bytes, source, 0, bytes.length);
    }

    private ProtoWireReader(byte[] bytes, String source, int start, int end) {
        this.bytes = bytes;
        this.source = source;
        this.position = start;
        this.end = end;
    }

    boolean hasMore() {
        return position < end;
    }

    /** The next field's tag: field number {@code tag >>> 3}, wire type {@code tag & 7}. */
    int nextTag() {
        long tag = readVarint();
        if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
            throw malformed("invalid field tag " + tag);
        }
        return (int) tag;
    }

    long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw malformed("truncated varint");
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    int readFixed32() {
        require(4);
        int value = (bytes[position] & 0xff)
                | (bytes[position + 1] & 0xff) << 8
                | (bytes[position + 2] & 0xff) << 16
                | (bytes[position + 3] & 0xff) << 24;
        position += 4;
        return value;
    }

    /** A reader over the next length-delimited field (a nested message). */
    ProtoWireReader readMessage() {
        int length = readLength();
        ProtoWireReader nested = new ProtoWireReader(bytes, source, position, position + length);
        position += length;
        return nested;
    }

    String readString() {
        int length = readLength();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** Skips a field of the given wire type. */
    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                require(8);
                position += 8;
            }
            case LENGTH_DELIMITED -> {
                int length = readLength(); // read before adding: readLength moves position
                position += length;
            }
            case FIXED32 -> {
                require(4);
                position += 4;
            }
            default -> throw malformed("unsupported wire type " + wireType);
        }
    }

    /** Fails unless {@code wireType} is what a field needs. */
    void expect(int tag, int wireType) {
        if ((tag & 7) != wireType) {
            throw malformed("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected " + wireType);
        }
    }

    private int readLength() {
        long length = readVarint();
        if (length < 0 || length > end - position) {
            throw malformed("length " + length + " runs past the end");
        }
        return (int) length;
    }

    private void require(int count) {
        if (end - position < count) {
            throw malformed("truncated field");
        }
    }

    IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException(source + ": not a valid SentencePiece model (" + why + " at byte "
                + position + ")");
    }
}
