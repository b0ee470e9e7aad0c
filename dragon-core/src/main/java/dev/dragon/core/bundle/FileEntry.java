package dev.dragon.core.bundle;

import java.util.regex.Pattern;

/**
 * Expected size and digest of one bundle file, as listed in the manifest's {@code files}.
 *
 * @param sha256 lowercase hex SHA-256 of the content
 * @param bytes  size in bytes
 */
public record FileEntry(String sha256, long bytes) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public FileEntry {
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, got " + sha256);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
    }
}
