package dev.dragon.core.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Checks bundle files against the manifest: presence and size of all first (cheap), then SHA-256 of each. */
final class FileVerifier {

    private static final int BUFFER_BYTES = 1 << 20;

    private FileVerifier() {
    }

    static void verify(Path dir, Map<String, FileEntry> files) {
        files.forEach((name, entry) -> checkSize(dir.resolve(name), name, entry));
        files.forEach((name, entry) -> checkDigest(dir.resolve(name), name, entry));
    }

    private static void checkSize(Path file, String name, FileEntry entry) {
        if (!Files.isRegularFile(file)) {
            throw new BundleException(name, "missing file (expected " + entry.bytes() + " bytes, sha256 "
                    + entry.sha256() + ")");
        }
        try {
            long actual = Files.size(file);
            if (actual != entry.bytes()) {
                throw new BundleException(name, "wrong size: expected " + entry.bytes() + " bytes, actual "
                        + actual + " bytes");
            }
        } catch (IOException e) {
            throw new BundleException(name, "cannot read size: " + e.getMessage(), e);
        }
    }

    private static void checkDigest(Path file, String name, FileEntry entry) {
        String actual = sha256(file, name);
        if (!actual.equals(entry.sha256())) {
            throw new BundleException(name, "wrong sha256: expected " + entry.sha256() + ", actual " + actual);
        }
    }

    /** Lowercase hex SHA-256 of a file's content. */
    static String sha256(Path file, String name) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new BundleException(name, "cannot read: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
