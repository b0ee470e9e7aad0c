package dev.dragon.router.api;

import java.util.UUID;

/**
 * What every response object of one request repeats.
 *
 * @param id          response id ({@code chatcmpl-...} or {@code cmpl-...}); unique, so it can be rated later
 *                    through {@code POST /v1/feedback}
 * @param created     Unix seconds
 * @param model       served model id
 * @param fingerprint {@code system_fingerprint}: bundle version and PC adapter version
 */
record ResponseMeta(String id, long created, String model, String fingerprint) {

    /** A fresh id: {@code prefix} followed by a random (version 4) UUID's 32 hex digits. */
    static String newId(String prefix) {
        UUID u = UUID.randomUUID();
        return prefix + String.format("%016x%016x", u.getMostSignificantBits(), u.getLeastSignificantBits());
    }
}
