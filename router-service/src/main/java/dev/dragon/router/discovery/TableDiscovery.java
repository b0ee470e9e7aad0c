package dev.dragon.router.discovery;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** An {@link ExpertDiscovery} whose state is a {@link ReplicaTable} its subclass fills. */
abstract class TableDiscovery implements ExpertDiscovery {

    protected final ReplicaTable table;

    TableDiscovery(String source, Set<String> groups) {
        this.table = new ReplicaTable(source, groups);
    }

    @Override
    public Set<String> groups() {
        return table.groups();
    }

    @Override
    public List<ReplicaEndpoint> replicas(String group) {
        return table.get(group);
    }

    @Override
    public Map<String, List<ReplicaEndpoint>> snapshot() {
        return table.snapshot();
    }

    @Override
    public Subscription subscribe(Listener listener) {
        return table.subscribe(listener);
    }

    @Override
    public void close() {
        table.clearListeners();
    }
}
