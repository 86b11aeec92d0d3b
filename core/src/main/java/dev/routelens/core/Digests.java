package dev.routelens.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests as lower-case hex, for run fingerprints and records. Every JVM must provide SHA-256, so its
 * absence is an error of the platform, not of the caller.
 */
public final class Digests {
    private Digests() {
    }

    /** A fresh SHA-256 digest to update. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }

    /** {@code md}'s digest as hex (which resets it). */
    public static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    /** The SHA-256 of {@code bytes} as hex. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
