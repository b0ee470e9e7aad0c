package dev.dragon.learning.ingest;

/** Where a consumed record came from: its topic, partition and offset. */
public record SourceRef(String topic, int partition, long offset) {
}
