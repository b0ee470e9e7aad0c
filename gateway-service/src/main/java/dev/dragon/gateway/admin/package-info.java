/** The admin API on its own port: create, list, rotate and revoke API keys, and set tenants' plans. */
package dev.dragon.gateway.admin;
