package dev.routelens.samples;

/** A sample source that is missing, unreadable or of an unsupported type; the message names the path. */
public class SampleSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SampleSourceException(String message) {
        super(message);
    }

    public SampleSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
