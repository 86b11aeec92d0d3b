package dev.routelens.samples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Splits a file into lines and decodes each one as strict UTF-8 on its own, so that a bad byte
 * sequence costs one line, not the file. Lines end at "\n", "\r\n" or a lone "\r" (a file saved with
 * classic Mac line ends is not read as one line). A UTF-8 byte-order mark is dropped where it starts a
 * line (at the top of the file, or where files were concatenated); a UTF-16 or UTF-32 byte-order mark
 * at the top refuses the file. A line longer than {@link #MAX_LINE_CHARS} characters is reported
 * without being kept in memory whole.
 *
 * <p>Hand-written on purpose (issue 17): the JDK's strict decoder ({@link CharsetDecoder} with
 * {@link CodingErrorAction#REPORT}) does the UTF-8; what is ours is the line splitting around it.
 * {@code BufferedReader} and {@code Files.lines} decode the stream before splitting, so one bad byte fails
 * the whole file (or, lenient, silently becomes U+FFFD), and they keep an over-long line whole; Commons IO's
 * {@code LineIterator} sits on the same readers.
 */
final class Utf8Lines {
    /** Longest accepted line, in UTF-16 characters. */
    static final int MAX_LINE_CHARS = 1_000_000;
    /** A UTF-8 character takes at most 4 bytes, so more bytes than this cannot be an accepted line. */
    private static final int MAX_LINE_BYTES = 4 * MAX_LINE_CHARS;

    private Utf8Lines() {
    }

    /** Reads every line of {@code file}, in order, into {@code sink}. */
    static void read(Path file, Consumer<DecodedLine> sink) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (InputStream in = Files.newInputStream(file)) {
            LineBuffer buffer = new LineBuffer();
            byte[] chunk = new byte[1 << 16];
            long number = 0;
            boolean pending = false;
            boolean afterCr = false; // the last byte ended a line with '\r': a '\n' next belongs to it
            boolean first = true;
            int read;
            while ((read = in.read(chunk)) >= 0) {
                if (first && read > 0) {
                    refuseWideEncoding(file, chunk, read);
                    first = false;
                }
                for (int i = 0; i < read; i++) {
                    byte b = chunk[i];
                    if (b == '\n' && afterCr) {
                        afterCr = false;
                    } else if (b == '\n' || b == '\r') {
                        sink.accept(buffer.finish(++number, decoder));
                        pending = false;
                        afterCr = b == '\r';
                    } else {
                        buffer.add(b);
                        pending = true;
                        afterCr = false;
                    }
                }
            }
            if (pending) {
                sink.accept(buffer.finish(++number, decoder));
            }
        } catch (IOException e) {
            throw new SampleSourceException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a file that starts with a UTF-16 or UTF-32 byte-order mark: read as UTF-8, every line of
     * it would be rejected one by one.
     */
    private static void refuseWideEncoding(Path file, byte[] start, int length) {
        String encoding = null;
        if (length >= 4 && start[0] == (byte) 0xFF && start[1] == (byte) 0xFE && start[2] == 0 && start[3] == 0) {
            encoding = "UTF-32LE";
        } else if (length >= 4 && start[0] == 0 && start[1] == 0 && start[2] == (byte) 0xFE && start[3] == (byte) 0xFF) {
            encoding = "UTF-32BE";
        } else if (length >= 2 && start[0] == (byte) 0xFF && start[1] == (byte) 0xFE) {
            encoding = "UTF-16LE";
        } else if (length >= 2 && start[0] == (byte) 0xFE && start[1] == (byte) 0xFF) {
            encoding = "UTF-16BE";
        }
        if (encoding != null) {
            throw new SampleSourceException("cannot read " + file + ": it is " + encoding
                    + " (it starts with that byte-order mark); save it as UTF-8");
        }
    }

    /** Every line of {@code file}. */
    static List<DecodedLine> readAll(Path file) {
        List<DecodedLine> lines = new ArrayList<>();
        read(file, lines::add);
        return lines;
    }

    /** Bytes of the current line, capped at {@link #MAX_LINE_BYTES}. */
    private static final class LineBuffer {
        private byte[] bytes = new byte[256];
        private int size;
        private boolean overflow;

        void add(byte value) {
            if (overflow) {
                return;
            }
            if (size == MAX_LINE_BYTES) {
                overflow = true;
                return;
            }
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(MAX_LINE_BYTES, bytes.length * 2));
            }
            bytes[size++] = value;
        }

        DecodedLine finish(long number, CharsetDecoder decoder) {
            try {
                if (overflow) {
                    return tooLong(number);
                }
                int length = size;
                int start = 0;
                if (length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
                    start = 3;
                }
                return decode(number, ByteBuffer.wrap(bytes, start, length - start), decoder);
            } finally {
                size = 0;
                overflow = false;
                if (bytes.length > 1 << 16) {
                    bytes = new byte[256];
                }
            }
        }

        private static DecodedLine decode(long number, ByteBuffer input, CharsetDecoder decoder) {
            int lineStart = input.position();
            try {
                CharBuffer chars = decoder.reset().decode(input);
                if (chars.length() > MAX_LINE_CHARS) {
                    return tooLong(number);
                }
                return new DecodedLine(number, chars.toString(), null);
            } catch (CharacterCodingException e) {
                int offset = input.position() - lineStart;
                String lenient = new String(input.array(), lineStart, input.limit() - lineStart, StandardCharsets.UTF_8);
                return new DecodedLine(number, lenient, "invalid UTF-8 (malformed byte sequence at byte " + (offset + 1)
                        + " of the line)");
            }
        }

        private static DecodedLine tooLong(long number) {
            return new DecodedLine(number, "", String.format(Locale.ROOT,
                    "line longer than %,d characters", MAX_LINE_CHARS));
        }
    }
}
