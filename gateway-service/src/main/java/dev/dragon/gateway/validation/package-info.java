/** Body size limit and OpenAI request validation at the edge, before anything reaches the router. */
package dev.dragon.gateway.validation;
