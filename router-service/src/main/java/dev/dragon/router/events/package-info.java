/** Interaction and feedback events to Kafka through a bounded buffer that never blocks a request, and POST /v1/feedback. */
package dev.dragon.router.events;
