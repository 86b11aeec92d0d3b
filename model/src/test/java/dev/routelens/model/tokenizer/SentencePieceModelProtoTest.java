package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.routelens.model.tokenizer.SentencePieceModelProto.PieceType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentencePieceModelProtoTest {

    /** Writes the protobuf wire format, independently of the reader under test. */
    private static final class Wire {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Wire varint(int field, long value) {
            tag(field, 0);
            raw(value);
            return this;
        }

        Wire bytes(int field, byte[] value) {
            tag(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Wire string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Wire fixed32(int field, float value) {
            tag(field, 5);
            int bits = Float.floatToIntBits(value);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i) & 0xff);
            }
            return this;
        }

        Wire message(int field, Wire nested) {
            return bytes(field, nested.out.toByteArray());
        }

        private void tag(int field, int wireType) {
            raw((long) field << 3 | wireType);
        }

        private void raw(long value) {
            while ((value & ~0x7fL) != 0) {
                out.write((int) (value & 0x7f) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }
    }

    private static Wire piece(String text, float score, int type) {
        Wire piece = new Wire().string(1, text).fixed32(2, score);
        return type == 1 ? piece : piece.varint(3, type); // NORMAL is the default and may be omitted
    }

    @Test
    void parsesHandBuiltModel() {
        Wire model = new Wire()
                .message(1, piece("<unk>", 0f, 2))
                .message(1, piece("<pad>", 0f, 3))
                .message(1, piece("<s>", 0f, 3))
                .message(1, piece("</s>", 0f, 3))
                .message(1, piece("<0xF0>", 0f, 6))
                .message(1, piece("▁héllo", -1.5f, 1))
                .message(2, new Wire().string(1, "ignored.txt").varint(40, 0).varint(41, 2).varint(42, 3)
                        .varint(43, -1L).string(44, "?").fixed32(10, 0.5f))
                .message(3, new Wire().string(1, "identity").varint(3, 0).varint(4, 0))
                .string(99, "unknown field skipped");
        SentencePieceModelProto proto = SentencePieceModelProto.parse(model.out.toByteArray(), "hand.model");
        assertEquals(6, proto.pieceCount());
        assertEquals("▁héllo", proto.piece(5));
        assertEquals(-1.5f, proto.score(5));
        assertEquals(PieceType.NORMAL, proto.type(5));
        assertEquals(PieceType.BYTE, proto.type(4));
        assertEquals(2, proto.bosId());
        assertEquals(3, proto.eosId());
        assertEquals(-1, proto.padId()); // a negative int32 travels as a 10-byte varint
        assertEquals("?", proto.unkSurface());
        assertFalse(proto.addDummyPrefix());
    }

    @Test
    void defaultsFollowSentencePiece() {
        Wire model = new Wire()
                .message(1, piece("<unk>", 0f, 2))
                .message(1, piece("<s>", 0f, 3))
                .message(1, piece("</s>", 0f, 3));
        SentencePieceModelProto proto = SentencePieceModelProto.parse(model.out.toByteArray(), "m");
        assertEquals(1, proto.bosId());
        assertEquals(2, proto.eosId());
        assertTrue(proto.addDummyPrefix());
    }

    @Test
    void refusesMalformedFilesNamingThem() {
        byte[] good = new Wire().message(1, piece("<unk>", 0f, 2)).message(1, piece("<s>", 0f, 3))
                .message(1, piece("</s>", 0f, 3)).out.toByteArray();
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SentencePieceModelProto.parse(truncated, "cut.model"));
        assertTrue(e.getMessage().startsWith("cut.model: not a valid SentencePiece model"), e.getMessage());
        byte[] notBos = new Wire().message(1, piece("<unk>", 0f, 2)).message(1, piece("a", 0f, 1))
                .message(1, piece("</s>", 0f, 3)).out.toByteArray();
        IllegalArgumentException bos = assertThrows(IllegalArgumentException.class,
                () -> SentencePieceModelProto.parse(notBos, "x.model"));
        assertTrue(bos.getMessage().contains("bos_id 1 ('a') is not a control piece"), bos.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SentencePieceModelProto.parse("plain text".getBytes(StandardCharsets.UTF_8), "t"));
    }

    @Test
    void refusesAPieceCutAtAFieldBoundaryAndAStrayEndGroup() {
        // The last piece's type field (2 bytes: tag 24, value 3) is cut off; what is left ends cleanly
        // between fields, so only the piece's declared length shows the file is short.
        byte[] good = new Wire().message(1, piece("<unk>", 0f, 2)).message(1, piece("<s>", 0f, 3))
                .message(1, piece("</s>", 0f, 3)).out.toByteArray();
        byte[] cut = Arrays.copyOf(good, good.length - 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SentencePieceModelProto.parse(cut, "cut.model"));
        assertTrue(e.getMessage().startsWith("cut.model: not a valid SentencePiece model ("), e.getMessage());
        byte[] endGroup = Arrays.copyOf(good, good.length + 1);
        endGroup[good.length] = (byte) (7 << 3 | 4); // end-group tag of field 7, outside any group
        IllegalArgumentException group = assertThrows(IllegalArgumentException.class,
                () -> SentencePieceModelProto.parse(endGroup, "g.model"));
        assertTrue(group.getMessage().startsWith("g.model: not a valid SentencePiece model"), group.getMessage());
    }

    @Test
    void nanoPiecesMatchSpmTrainVocabFile() throws IOException {
        SentencePieceModelProto proto = SentencePieceModelProto.read(TestPaths.nano().resolve("tokenizer.model"));
        List<String> vocab = Files.readAllLines(TestPaths.nano().resolve("tokenizer.vocab"), StandardCharsets.UTF_8);
        assertEquals(vocab.size(), proto.pieceCount());
        for (int id = 0; id < vocab.size(); id++) {
            String[] line = vocab.get(id).split("\t");
            assertEquals(line[0], proto.piece(id), "piece " + id);
            assertEquals(Float.parseFloat(line[1]), proto.score(id), "score " + id);
        }
        assertEquals(PieceType.USER_DEFINED, proto.type(vocab.indexOf("⟨Cl⟩\t0")));
        assertEquals(PieceType.BYTE, proto.type(vocab.indexOf("<0x41>\t0")));
        assertEquals(PieceType.CONTROL, proto.type(proto.padId()));
        assertEquals("[PAD]", proto.piece(proto.padId()));
        assertFalse(proto.addDummyPrefix());
    }
}
