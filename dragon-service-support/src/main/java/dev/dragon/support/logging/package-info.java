/** Puts the request id into every log line: across Reactor thread hops, or at a service's own log sites. */
package dev.dragon.support.logging;
