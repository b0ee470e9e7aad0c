package dev.dragon.core.bundle;

/** Rules for bundle-relative paths: forward slashes, no absolute paths, no escaping the bundle directory. */
final class BundlePaths {

    private BundlePaths() {
    }

    /** Why {@code path} is not an acceptable bundle-relative path, or {@code null} when it is. */
    static String problem(String path) {
        if (path.isEmpty()) {
            return "must not be empty";
        }
        if (path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            return "'" + path + "' must be a relative path with forward slashes";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "'" + path + "' must not contain empty, '.' or '..' segments";
            }
        }
        if (path.equals(Manifest.FILE_NAME)) {
            return "'" + path + "' cannot list the manifest itself";
        }
        return null;
    }
}
