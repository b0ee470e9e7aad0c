package dev.dragon.platform.chaos;

import java.util.List;

/**
 * What one fault did to the load.
 *
 * @param fault               {@link Fault#id()}
 * @param description         what was done
 * @param faultSeconds        injection → recovery done (resumed, or restarted and ready)
 * @param sent                requests (streams and feedback) in progress at some time between injection and normal
 * @param failed              of those, not served — excluding {@code failedInFlight}
 * @param failedInFlight      streams held by the killed process itself (only for a router kill): no one else
 *                            could serve them
 * @param failures            up to five distinct ways requests failed ({@code status: body})
 * @param failuresFromSeconds when the first counted failure ended, seconds after injection (NaN if none)
 * @param failuresToSeconds   when the last counted failure ended, seconds after injection (NaN if none)
 * @param p99Seconds          p99 end-to-end latency of the streams in progress during the fault
 * @param interactionsExpected served streams that ended in the window (each must produce one interaction event)
 * @param interactionsLost    of those, response ids not found on {@code dragon.interactions}
 * @param feedbackExpected    accepted feedback calls that ended in the window
 * @param feedbackLost        of those, response ids not found on {@code dragon.feedback}
 * @param recoverySeconds     recovery done → component back to normal and a new request served; -1 if never
 */
public record FaultResult(String fault, String description, double faultSeconds, int sent, int failed,
                          int failedInFlight, List<String> failures, double failuresFromSeconds,
                          double failuresToSeconds, double p99Seconds, int interactionsExpected,
                          int interactionsLost, int feedbackExpected, int feedbackLost, double recoverySeconds) {
}
