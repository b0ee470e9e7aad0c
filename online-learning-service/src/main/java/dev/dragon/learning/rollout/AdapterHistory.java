package dev.dragon.learning.rollout;

import dev.dragon.learning.pc.PcWeights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@code dragon.adapters} says: every version (in order), the newest version's weights, and the pin in
 * force. The learner's loop replaces it after each commit; readers (the admin API) see immutable snapshots.
 *
 * @param versions      versions 1…n in order
 * @param latestWeights weights of the newest version (the bundle's own when there is none)
 * @param pinned        the pinned version, or null
 */
public record AdapterHistory(List<VersionInfo> versions, PcWeights latestWeights, Long pinned) {

    public AdapterHistory {
        versions = Collections.unmodifiableList(new ArrayList<>(versions));
    }

    /** The newest version number, 0 (the bundle's layer) when none was published. */
    public long latest() {
        return versions.isEmpty() ? 0 : versions.getLast().version();
    }

    /** The version routers serve: the pinned one, else the newest. */
    public long live() {
        return pinned != null ? pinned : latest();
    }

    public boolean contains(long version) {
        return version == 0 || versions.stream().anyMatch(v -> v.version() == version);
    }

    public AdapterHistory withVersion(VersionInfo info, PcWeights weights) {
        List<VersionInfo> next = new ArrayList<>(versions);
        next.add(info);
        return new AdapterHistory(next, weights, pinned);
    }

    public AdapterHistory withPin(Long version) {
        return new AdapterHistory(versions, latestWeights, version);
    }
}
