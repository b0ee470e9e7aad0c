package dev.dragon.contracts.http;

import java.util.Locale;

/** Entries of the W3C {@code Server-Timing} header ({@code Server-Timing} response header). */
public final class ServerTiming {

    private ServerTiming() {
    }

    /** {@code name;dur=<milliseconds with three decimals>}. */
    public static String entry(String name, long nanos) {
        return String.format(Locale.ROOT, "%s;dur=%.3f", name, nanos / 1e6);
    }

    /**
     * The duration in milliseconds of the entry {@code name} in a {@code Server-Timing} value (entries separated by
     * commas), or NaN when it has none.
     */
    public static double millis(String header, String name) {
        if (header == null) {
            return Double.NaN;
        }
        for (String entry : header.split(",")) {
            String[] parts = entry.strip().split(";");
            if (!parts[0].strip().equals(name)) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.startsWith("dur=")) {
                    try {
                        return Double.parseDouble(p.substring(4));
                    } catch (NumberFormatException e) {
                        return Double.NaN;
                    }
                }
            }
        }
        return Double.NaN;
    }
}
