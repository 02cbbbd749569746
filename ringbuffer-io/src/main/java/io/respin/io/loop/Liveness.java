package io.respin.io.loop;

import java.util.concurrent.TimeUnit;

/**
 * A READY link's checks that the server is still there and still making progress, run once per maintenance pass:
 * an idle PING after the configured silence, and a watch on a reply that never ends behind a command that already
 * timed out. Either way a dead or runaway connection is reconnected instead of letting commands time out one by one.
 * Duty-confined, like its link.
 */
final class Liveness {

    private final Link link;
    private IdlePing idlePing;
    /** {@link #checkRunawayReply}: the reply count when an abandoned head was first seen (-1: none), and when. */
    private long runawayMark = -1;
    private long runawaySince;

    Liveness(Link link) {
        this.link = link;
    }

    /** READY links: sends an idle PING when the server has been silent for the configured time. */
    int checkIdle(long now) {
        long idle = link.settings.idlePingNanos();
        if (idle == 0 || link.role == Link.Role.MONITOR || link.inFlight > 0 || link.writer.hasWaiting()
                || now - link.lastActivity < idle) {
            return 0;
        }
        if (idlePing == null) {
            idlePing = new IdlePing(link);
        }
        if (idlePing.isPending()) {
            return 0;
        }
        link.lastActivity = now; // one PING per idle period
        // the answer may take a while on a busy server: allow the idle period, at least 1 s, at most the command timeout
        idlePing.arm(link.endpoint, null, now,
                Math.min(Math.max(idle, 1_000_000_000L), link.settings.commandTimeoutNanos()));
        link.agent.deadlines().schedule(idlePing);
        link.writer.enqueue(idlePing);
        return 1;
    }

    /**
     * READY links: drops a connection on which the server keeps sending the reply of a command that already timed
     * out without ever finishing it (a runaway or hostile reply: an endless array, a huge value). The clock starts
     * when an abandoned command is the head of the in-flight FIFO with no reply boundary since; after another
     * command timeout of the endpoint the connection is reconnected. A late reply that does end (a slow command) ends
     * the watch. A silent server is handled at expiry ({@link Link#expire}).
     */
    int checkRunawayReply(long now) {
        if (!link.connection.headAbandoned()) {
            runawayMark = -1;
            return 0;
        }
        long matched = link.connection.repliesMatched();
        if (runawayMark != matched) {
            runawayMark = matched; // a new abandoned head, or progress since the last look: the clock restarts
            runawaySince = now;
            return 0;
        }
        long bound = link.endpoint.target().defaultTimeoutNanos();
        if (now - runawaySince < bound) {
            return 0;
        }
        runawayMark = -1;
        link.lost("the server kept sending the reply of a command that had already timed out without finishing it for "
                + TimeUnit.NANOSECONDS.toMillis(now - runawaySince) + " ms (the endpoint's command timeout); every "
                + "later command on the connection would have waited behind it", null, now);
        return 1;
    }
}
