/** The KV-state cache: chunked sliding-window states of prompt prefixes, found by their longest stored prefix. */
package dev.dragon.cache.kv;
