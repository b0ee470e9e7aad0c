/** The router's exception family and the one place that turns any failure into a status, an OpenAI error body and a metric. */
package dev.dragon.router.error;
