package dev.routelens.core;

/** A problem the user can fix (bad flag, missing file); printed as one line, no stack trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
