package io.respin.io.loop;

/**
 * One link as {@code RedisEndpoint.status()} shows it: copied by the IO thread (a control task) from the link's
 * duty-confined fields, immutable from then on.
 *
 * @param role           the ordinal of the link's {@code Link.Role}
 * @param phase          CONNECTING (never ready yet), READY, RECONNECTING (was ready, is not now) or CLOSED
 * @param inFlight       commands written and not yet answered
 * @param reconnects     times it became ready again after a loss
 * @param failedAttempts losses and failed connects since it was last ready
 * @param lastFailure    why it last failed (no password: messages name servers as host:port), or null
 * @param refused        the server refuses its reconnect handshake now (commands fail at once)
 */
public record LinkStatus(int role, String phase, int inFlight, int reconnects, int failedAttempts, String lastFailure,
                         boolean refused) {
}
