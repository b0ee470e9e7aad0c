/** The gateway's exception family and the one place that maps every failure to status, OpenAI error body and metric. */
package dev.dragon.gateway.error;
