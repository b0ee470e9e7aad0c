/** The response cache: whole responses of deterministic requests, per tenant, model and adapter version. */
package dev.dragon.cache.response;
