package dev.dragon.core.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundle's byte-level BPE tokenizer ({@code tokenizer.json}, see docs/bundle-format.md).
 *
 * <p>Encoding splits text with the pre-tokenizer pattern, UTF-8-encodes each piece and repeatedly
 * merges every non-overlapping occurrence (left to right) of the adjacent pair with the lowest merge
 * rank. Special tokens are never parsed out of text. Results per piece are kept in a bounded LRU
 * cache. Instances are immutable apart from that cache and safe to share between threads.
 */
public final class BpeTokenizer {

    /** Default number of cached pieces. */
    public static final int DEFAULT_CACHE_CAPACITY = 16_384;
    /** Pieces longer than this many chars are not cached. */
    static final int MAX_CACHED_PIECE = 64;
    private static final byte[] EMPTY = new byte[0];

    private final Pattern pattern;
    private final byte[][] tokenBytes; // [regular tokens][bytes]
    private final PairRanks ranks;
    private final int[][] merges;      // [merge rank] = {left, right}
    private final Map<String, Integer> specialTokens;
    private final boolean[] special;   // [vocab]
    private final ChatTemplate chatTemplate;
    private final LruCache<String, int[]> cache;

    BpeTokenizer(Pattern pattern, byte[][] tokenBytes, int[][] merges, Map<String, Integer> specialTokens,
                 ChatTemplate.Spec template, int cacheCapacity) {
        this.pattern = pattern;
        this.tokenBytes = tokenBytes;
        this.merges = merges;
        this.ranks = new PairRanks(merges);
        this.specialTokens = Map.copyOf(specialTokens);
        int vocab = Math.max(tokenBytes.length, specialTokens.values().stream().mapToInt(i -> i + 1).max().orElse(0));
        this.special = new boolean[vocab];
        specialTokens.values().forEach(id -> special[id] = true);
        this.cache = new LruCache<>(cacheCapacity);
        this.chatTemplate = new ChatTemplate(this, template);
    }

    /** Loads {@code tokenizer.json} with the default cache size. */
    public static BpeTokenizer load(Path file) throws IOException {
        return load(file, DEFAULT_CACHE_CAPACITY);
    }

    public static BpeTokenizer load(Path file, int cacheCapacity) throws IOException {
        try {
            return parse(Files.readAllBytes(file), cacheCapacity);
        } catch (TokenizerException e) {
            throw new TokenizerException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Parses tokenizer JSON; problems are a {@link TokenizerException} naming the field. */
    public static BpeTokenizer parse(byte[] json, int cacheCapacity) {
        return TokenizerFile.parse(json, cacheCapacity);
    }

    /** Token ids of {@code text}; special-token names in the text are encoded as plain text. */
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        IntList out = new IntList(text.length());
        forEachPiece(text, (start, end) -> appendPiece(text, start, end, out));
        return out.toArray();
    }

    /** The pre-tokenizer pieces of {@code text}, in order (for tests and diagnostics). */
    List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        forEachPiece(text, (start, end) -> pieces.add(text.substring(start, end)));
        return pieces;
    }

    private interface PieceVisitor {
        void piece(int start, int end);
    }

    /** Visits the pattern's matches; text the pattern skips becomes a piece of its own, so nothing is dropped. */
    private void forEachPiece(String text, PieceVisitor visitor) {
        Matcher m = pattern.matcher(text);
        int done = 0;
        while (m.find()) {
            if (m.start() == m.end()) {
                continue; // an empty match covers no text
            }
            if (m.start() > done) {
                visitor.piece(done, m.start());
            }
            visitor.piece(m.start(), m.end());
            done = m.end();
        }
        if (done < text.length()) {
            visitor.piece(done, text.length());
        }
    }

    private void appendPiece(String text, int start, int end, IntList out) {
        if (end - start > MAX_CACHED_PIECE) {
            out.addAll(bpe(Utf8Encoder.encode(text, start, end)));
            return;
        }
        String piece = text.substring(start, end);
        int[] ids = cache.get(piece);
        if (ids == null) {
            ids = bpe(Utf8Encoder.encode(text, start, end));
            cache.put(piece, ids);
        }
        out.addAll(ids);
    }

    /** Merges byte ids in place by rank; returns the merged ids. */
    private int[] bpe(int[] ids) {
        int n = ids.length;
        while (n > 1) {
            int best = PairRanks.NONE;
            for (int i = 0; i + 1 < n; i++) {
                best = Math.min(best, ranks.rank(ids[i], ids[i + 1]));
            }
            if (best == PairRanks.NONE) {
                break;
            }
            int left = merges[best][0];
            int right = merges[best][1];
            int merged = 256 + best;
            int w = 0;
            for (int r = 0; r < n; r++) {
                if (r + 1 < n && ids[r] == left && ids[r + 1] == right) {
                    ids[w++] = merged;
                    r++;
                } else {
                    ids[w++] = ids[r];
                }
            }
            n = w;
        }
        return n == ids.length ? ids : Arrays.copyOf(ids, n);
    }

    /** Text of {@code ids}: token bytes concatenated and UTF-8-decoded; special tokens decode to nothing. */
    public String decode(int[] ids) {
        StreamingDecoder decoder = streamingDecoder();
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            out.append(decoder.push(id));
        }
        return out.append(decoder.finish()).toString();
    }

    /** A fresh decoder for one generated sequence. */
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this);
    }

    /** Ids {@code 0 .. vocabSize()-1} are valid (regular tokens, then special tokens). */
    public int vocabSize() {
        return special.length;
    }

    /** Number of regular (byte-sequence) tokens: 256 plus the number of merges. */
    public int regularTokenCount() {
        return tokenBytes.length;
    }

    /** Bytes of a regular token; empty for special or unused ids. */
    public byte[] tokenBytes(int id) {
        checkId(id);
        return id < tokenBytes.length ? tokenBytes[id].clone() : new byte[0];
    }

    byte[] tokenBytesShared(int id) {
        checkId(id);
        return id < tokenBytes.length ? tokenBytes[id] : EMPTY;
    }

    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    /** Id of the special token {@code name} (e.g. {@code <|eos|>}); fails naming it when unknown. */
    public int specialTokenId(String name) {
        Integer id = specialTokens.get(name);
        if (id == null) {
            throw new IllegalArgumentException("unknown special token '" + name + "' (known: "
                    + specialTokens.keySet().stream().sorted().toList() + ")");
        }
        return id;
    }

    /** All special tokens by name. */
    public Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    /** Number of pieces currently cached (for tests and metrics). */
    int cachedPieces() {
        return cache.size();
    }

    private void checkId(int id) {
        if (id < 0 || id >= special.length) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + special.length + ")");
        }
    }

    /** Growable int array. */
    private static final class IntList {
        private int[] values;
        private int size;

        IntList(int capacity) {
            values = new int[Math.max(8, capacity)];
        }

        void addAll(int[] more) {
            if (size + more.length > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
