package dev.dragon.router.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A cached answer rendered once (every SSE frame, or the whole JSON object) with a placeholder response id and
 * creation time, cut where those stand, so that serving a hit only splices the request's own id and time into
 * bytes that are ready: no JSON writing, no per-token work. What a hit sends is byte-for-byte what rendering it
 * afresh would send (a test holds both side by side).
 *
 * <p>The placeholders are found as JSON structure ({@code "id":"<mark>"} and {@code "created":0,}, quotes
 * unescaped), which no generated text can imitate: quotes inside a string value are always escaped.
 */
final class ReplayTemplate {

    /** Response id the template is rendered with, after the endpoint's prefix. */
    static final String ID_MARK = "dragon-replay-id";
    /** Creation time the template is rendered with. */
    static final long CREATED_MARK = 0;

    private static final String ID_FIELD = "\"id\":\"";
    private static final String CREATED_FIELD = "\"created\":";

    private final byte[][] parts;       // parts[0] hole[0] parts[1] hole[1] ... parts[n]
    private final boolean[] idHole;     // true: the id goes there, false: the creation time
    private final int fixedBytes;

    private ReplayTemplate(byte[][] parts, boolean[] idHole) {
        this.parts = parts;
        this.idHole = idHole;
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        this.fixedBytes = n;
    }

    /** Cuts {@code rendered} (made with {@code idPrefix + ID_MARK} and {@link #CREATED_MARK}) at its placeholders. */
    static ReplayTemplate of(String rendered, String idPrefix) {
        String idMark = ID_FIELD + idPrefix + ID_MARK + "\"";
        String createdMark = CREATED_FIELD + CREATED_MARK + ",";
        List<byte[]> parts = new ArrayList<>();
        List<Boolean> holes = new ArrayList<>();
        int from = 0;
        while (true) {
            int id = rendered.indexOf(idMark, from);
            int created = rendered.indexOf(createdMark, from);
            if (id < 0 && created < 0) {
                break;
            }
            boolean isId = id >= 0 && (created < 0 || id < created);
            int at = isId ? id : created;
            String field = isId ? ID_FIELD : CREATED_FIELD;
            parts.add(rendered.substring(from, at + field.length()).getBytes(StandardCharsets.UTF_8));
            holes.add(isId);
            from = at + (isId ? idMark.length() - 1 : createdMark.length() - 1);   // keep the closing '"' or ','
        }
        parts.add(rendered.substring(from).getBytes(StandardCharsets.UTF_8));
        boolean[] idHole = new boolean[holes.size()];
        for (int i = 0; i < idHole.length; i++) {
            idHole[i] = holes.get(i);
        }
        return new ReplayTemplate(parts.toArray(byte[][]::new), idHole);
    }

    /** The answer as response {@code id}, created at {@code created} (Unix seconds). */
    byte[] render(String id, long created) {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        byte[] createdBytes = Long.toString(created).getBytes(StandardCharsets.US_ASCII);
        int ids = 0;
        for (boolean b : idHole) {
            ids += b ? 1 : 0;
        }
        byte[] out = new byte[fixedBytes + ids * idBytes.length + (idHole.length - ids) * createdBytes.length];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
            if (i < idHole.length) {
                byte[] hole = idHole[i] ? idBytes : createdBytes;
                System.arraycopy(hole, 0, out, at, hole.length);
                at += hole.length;
            }
        }
        return out;
    }

    /** Placeholders found (two per object: its id and its creation time). */
    int holes() {
        return idHole.length;
    }
}
