package dev.dragon.router.scheduling;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.GeneratedToken;

/** What a generation stream carries: tokens, then exactly one {@link Finished} (or an error). */
public sealed interface TokenEvent {

    /** A generated token (its text may be empty while bytes or a possible stop prefix are held back). */
    record Token(GeneratedToken token) implements TokenEvent {
    }

    /** The end: reason, counts, held-back tail text and the adapter version used. */
    record Finished(Completion completion) implements TokenEvent {
    }
}
