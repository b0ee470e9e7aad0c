/** Configuration of expert-service: the {@code dragon.expert.*} properties and the beans built from them. */
package dev.dragon.expert.config;
