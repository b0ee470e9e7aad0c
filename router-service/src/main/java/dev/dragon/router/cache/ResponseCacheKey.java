package dev.dragon.router.cache;

import dev.dragon.core.sampling.SamplingParams;
import dev.dragon.core.tokenizer.ChatMessage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The response-cache key of a request: SHA-256 over a canonical, unambiguous encoding (every value typed
 * and length-prefixed) of the tenant, model version, adapter version, the prompt (chat messages in order
 * with role and exact content, or the completion prompt), every component of the effective
 * {@link SamplingParams} (temperature, top_p, top_k, seed, max_tokens, stop, logprobs, top_logprobs, and
 * any component added later, found by reflection), and any other option that changes the answer (e.g.
 * {@code return_experts}). Canonicalization: greedy sampling ignores seed, top_p and top_k, so those are
 * fixed before hashing (every greedy request with the same prompt shares one entry); -0.0 is 0.0; options
 * are ordered by name. Not part of it: {@code stream}, {@code stream_options}, {@code user}: a hit is
 * replayed in whichever framing the request asks for.
 *
 * <p>Pass the effective parameters (after defaults), so a request that omits {@code max_tokens} and one
 * that sends the default share an entry.
 */
public record ResponseCacheKey(String tenant, String modelVersion, String adapterVersion, byte[] hash) {

    private static final String DOMAIN = "dragon-response-key/1";

    public ResponseCacheKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(adapterVersion, "adapterVersion");
        if (hash == null || hash.length != 32) {
            throw new IllegalArgumentException("a response cache key is a 32-byte SHA-256");
        }
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseCacheKey k && tenant.equals(k.tenant) && modelVersion.equals(k.modelVersion)
                && adapterVersion.equals(k.adapterVersion) && Arrays.equals(hash, k.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenant, modelVersion, adapterVersion, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "ResponseCacheKey[" + tenant + ", " + modelVersion + ", adapter " + adapterVersion + ", " + hex() + "]";
    }

    /** A chat request. */
    public static Builder chat(String tenant, String modelVersion, String adapterVersion, List<ChatMessage> messages) {
        return new Builder(tenant, modelVersion, adapterVersion, "chat", messages, null);
    }

    /** A completion request. */
    public static Builder completion(String tenant, String modelVersion, String adapterVersion, String prompt) {
        return new Builder(tenant, modelVersion, adapterVersion, "completion", null, Objects.requireNonNull(prompt, "prompt"));
    }

    /** Collects the rest of the request, then hashes it. */
    public static final class Builder {

        private final String tenant;
        private final String modelVersion;
        private final String adapterVersion;
        private final String kind;
        private final List<ChatMessage> messages;
        private final String prompt;
        private final Map<String, Object> options = new TreeMap<>();
        private SamplingParams sampling;

        private Builder(String tenant, String modelVersion, String adapterVersion, String kind,
                        List<ChatMessage> messages, String prompt) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
            this.adapterVersion = Objects.requireNonNull(adapterVersion, "adapterVersion");
            this.kind = kind;
            this.messages = messages == null ? null : List.copyOf(messages);
            this.prompt = prompt;
        }

        /** The effective sampling parameters (after the router's defaults). */
        public Builder sampling(SamplingParams params) {
            this.sampling = Objects.requireNonNull(params, "sampling");
            return this;
        }

        /** Another input that changes the answer: a string, number or boolean, under its API name. */
        public Builder option(String name, Object value) {
            if (!(value == null || value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw new IllegalArgumentException("option " + name + " must be a string, number or boolean");
            }
            options.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        public ResponseCacheKey build() {
            if (sampling == null) {
                throw new IllegalStateException("the sampling parameters are part of the key");
            }
            MessageDigest sha = sha256();
            try (Canonical out = new Canonical(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
                out.text(DOMAIN).text(tenant).text(modelVersion).text(adapterVersion).text(kind);
                if (messages != null) {
                    out.count(messages.size());
                    for (ChatMessage m : messages) {
                        out.text(m.role()).text(m.content());
                    }
                } else {
                    out.text(prompt);
                }
                out.record(canonical(sampling));
                out.count(options.size());
                for (Map.Entry<String, Object> o : options.entrySet()) {
                    out.text(o.getKey()).value(o.getValue());
                }
            }
            return new ResponseCacheKey(tenant, modelVersion, adapterVersion, sha.digest());
        }

        private static SamplingParams canonical(SamplingParams p) {
            return ResponseCachePolicy.isGreedy(p)
                    ? p.toBuilder().temperature(0).topP(1).topK(0).seed(null).build()
                    : p;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Typed, length-prefixed values: no two different inputs share an encoding. */
    private static final class Canonical implements AutoCloseable {

        private final DataOutputStream out;

        Canonical(OutputStream sink) {
            this.out = new DataOutputStream(sink);
        }

        Canonical text(String s) {
            return write(() -> {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                out.writeByte('s');
                out.writeInt(utf8.length);
                out.write(utf8);
            });
        }

        Canonical count(int n) {
            return write(() -> {
                out.writeByte('n');
                out.writeInt(n);
            });
        }

        /** Every component of a record, in declaration order, named. */
        Canonical record(Record r) {
            RecordComponent[] components = r.getClass().getRecordComponents();
            count(components.length);
            for (RecordComponent c : components) {
                try {
                    text(c.getName()).value(c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c.getName(), e);
                }
            }
            return this;
        }

        Canonical value(Object v) {
            return write(() -> {
                switch (v) {
                    case null -> out.writeByte('0');
                    case String s -> text(s);
                    case Boolean b -> {
                        out.writeByte('b');
                        out.writeBoolean(b);
                    }
                    case Double d -> {
                        out.writeByte('d');
                        out.writeLong(Double.doubleToLongBits(d == 0 ? 0.0 : d));
                    }
                    case Float f -> value(f.doubleValue());
                    case Integer i -> value(i.longValue());
                    case Long l -> {
                        out.writeByte('l');
                        out.writeLong(l);
                    }
                    case List<?> list -> {
                        out.writeByte('[');
                        out.writeInt(list.size());
                        for (Object e : list) {
                            value(e);
                        }
                    }
                    default -> throw new IllegalStateException("no canonical form for " + v.getClass().getName()
                            + ": teach ResponseCacheKey about it before it can be part of a key");
                }
            });
        }

        private Canonical write(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        @Override
        public void close() {
            write(out::flush);
        }

        @FunctionalInterface
        private interface IoAction {
            void run() throws IOException;
        }
    }
}
