/** The learner's single configuration record and the beans built from it. */
package dev.dragon.learning.config;
