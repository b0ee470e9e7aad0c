/** router-service configuration: the one {@code dragon.router.*} properties record and the model/engine beans built from it. */
package dev.dragon.router.config;
