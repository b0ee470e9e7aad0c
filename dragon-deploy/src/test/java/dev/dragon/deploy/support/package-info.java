/** Test support: repository paths, chart rendering, manifest parsing, promtool, a NetworkPolicy model. */
package dev.dragon.deploy.support;
