/** Kafka event schemas (records with a schema version, JSON on the wire) for interactions, feedback and PC adapter versions. */
package dev.dragon.contracts.events;
