/** OpenAI-compatible API wire records (snake_case JSON), their strict codec and request validation, shared by gateway, router and clients. */
package dev.dragon.contracts.openai;
