/** Puts the request id into every log line, across Reactor thread hops. */
package dev.dragon.support.logging;
