package dev.routelens.model.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file or directory that cannot be used. The only exception the parsers in this package
 * raise for bad input; its message is one line naming the file and, where relevant, the tensor.
 */
public class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /** {@code file: reason}. */
    public CheckpointException(Path file, String reason) {
        super(oneLine(file + ": " + reason));
    }

    /** {@code file: reason}, keeping {@code cause} for debugging. */
    public CheckpointException(Path file, String reason, Throwable cause) {
        super(oneLine(file + ": " + reason), cause);
    }

    /** {@code file: tensor 'name': reason}. */
    public static CheckpointException forTensor(Path file, String tensor, String reason) {
        return new CheckpointException(file, "tensor '" + tensor + "': " + reason);
    }

    /** The first line of {@code message} (JSON parser messages carry a second location line). */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    /** Line breaks become spaces and other control characters '?', so the message prints as one line. */
    private static String oneLine(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            sb.append(c == '\n' || c == '\r' ? ' ' : Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }
}
