/** Tenant purges for the routers' near caches: the purge log in Redis, this process's feed of it, its watches. */
package dev.dragon.cache.purge;
