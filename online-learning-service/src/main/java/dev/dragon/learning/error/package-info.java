/** The learner's exception family and the one place that maps it to an HTTP status, an OpenAI-style error body and a metric. */
package dev.dragon.learning.error;
