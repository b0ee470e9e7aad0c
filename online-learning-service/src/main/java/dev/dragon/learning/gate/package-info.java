/** The promotion gate every candidate adapter version must pass: better on recent feedback, no worse than 0.5% on the base. */
package dev.dragon.learning.gate;
