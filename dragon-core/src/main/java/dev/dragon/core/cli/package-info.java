/** Command-line entry points of the engine (what {@code ./dragon generate} runs). */
package dev.dragon.core.cli;
