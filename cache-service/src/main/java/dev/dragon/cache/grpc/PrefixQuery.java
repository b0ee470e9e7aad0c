package dev.dragon.cache.grpc;

import dev.dragon.cache.error.InvalidCacheRequestException;
import dev.dragon.cache.keys.KvKey;
import dev.dragon.cache.keys.Names;
import dev.dragon.contracts.v1.PrefixLookup;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code PrefixLookup} (FindLongestPrefix, RestoreLongestPrefix).
 *
 * @param namespace tenant, model and gating version asked about (with the first hash)
 * @param hashes    the prefix hashes (hex), shortest prefix first
 */
record PrefixQuery(KvKey namespace, List<String> hashes) {

    /** Checks the schema, the names and 1 to {@code maxHashes} well-formed hashes. */
    static PrefixQuery of(PrefixLookup request, int maxHashes) {
        GrpcReplies.checkSchema(request.getSchemaVersion());
        int count = request.getPrefixHashesCount();
        if (count < 1 || count > maxHashes) {
            throw new InvalidCacheRequestException("prefix_hashes", "1 to " + maxHashes
                    + " prefix hashes per lookup, got " + count);
        }
        KvKey namespace = KvKey.of(request.getTenant(), request.getModel(), request.getGatingVersion(),
                request.getPrefixHashes(0).toByteArray());
        List<String> hashes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            hashes.add(Names.hash("prefix_hashes[" + i + "]", request.getPrefixHashes(i).toByteArray()));
        }
        return new PrefixQuery(namespace, List.copyOf(hashes));
    }
}
