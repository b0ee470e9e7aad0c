/** Fault injection against a real local platform under load: {@code ./dragon chaos}. */
package dev.dragon.platform.chaos;
