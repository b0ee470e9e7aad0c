/** Spring auto-configuration shared by every Dragon service (request ids, logging, metric labels). */
package dev.dragon.support;
