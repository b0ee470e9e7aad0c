/** {@code ./dragon up}: the whole platform as separate processes on loopback, with a real Redis and Kafka. */
package dev.dragon.platform;
