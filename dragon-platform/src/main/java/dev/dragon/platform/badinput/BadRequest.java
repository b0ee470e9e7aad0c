package dev.dragon.platform.badinput;

import java.nio.charset.StandardCharsets;

/**
 * One generated malformed request.
 *
 * @param category    what is wrong with it (the generator's category name)
 * @param method      HTTP method
 * @param path        request path on the gateway ({@code /v1/...})
 * @param contentType Content-Type header, or null for none
 * @param body        the exact bytes sent (may be invalid UTF-8), or empty
 * @param apiKey      send the tenant's key: false for the authentication cases
 */
public record BadRequest(String category, String method, String path, String contentType, byte[] body, boolean apiKey) {

    /** The body for a report: at most 200 characters, invalid bytes replaced. */
    public String preview() {
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return body.length > 200 ? s + "… (" + body.length + " bytes)" : s;
    }

    @Override
    public String toString() {
        return category + " " + method + " " + path + " " + preview();
    }
}
