/** API keys: hashed storage in Redis, tenants and their plans, and authentication of public requests. */
package dev.dragon.gateway.auth;
