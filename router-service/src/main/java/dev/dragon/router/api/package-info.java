/** The OpenAI-compatible HTTP API: chat and text completions (JSON or Server-Sent Events) and the model list. */
package dev.dragon.router.api;
