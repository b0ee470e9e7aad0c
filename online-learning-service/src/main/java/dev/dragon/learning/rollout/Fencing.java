package dev.dragon.learning.rollout;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/** Recognises the failures that mean another learner took over (or this one may not write): stop, do not retry. */
final class Fencing {

    private Fencing() {
    }

    static boolean isFenced(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ProducerFencedException || c instanceof InvalidProducerEpochException
                    || c instanceof TransactionalIdAuthorizationException) {
                return true;
            }
        }
        return false;
    }
}
