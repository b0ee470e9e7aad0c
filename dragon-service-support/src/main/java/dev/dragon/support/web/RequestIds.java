package dev.dragon.support.web;

import java.util.UUID;
import java.util.regex.Pattern;

/** Generation and validation of request ids. */
public final class RequestIds {

    /** Key of the request id in Reactor contexts, exchange attributes and the logging MDC. */
    public static final String KEY = "requestId";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    public static String generate() {
        return "req-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A client-supplied id is reused only if it is short and cannot forge log lines or headers. */
    public static boolean acceptable(String candidate) {
        return candidate != null && SAFE.matcher(candidate).matches();
    }

    public static String orGenerate(String candidate) {
        return acceptable(candidate) ? candidate : generate();
    }
}
