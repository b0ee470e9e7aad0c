/** router-service: the OpenAI-compatible API of Dragon; schedules decoding and dispatches tokens to expert groups. */
package dev.dragon.router;
