/** The learner's admin API on its own port: list adapter versions, roll back, pin and unpin. */
package dev.dragon.learning.admin;
