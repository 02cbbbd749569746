package io.respin.engine.cluster;

import io.respin.RedisRedirectException;
import io.respin.RedisServerException;

/**
 * What a cluster client does with an error reply: the decision as a value, so the rules are tested without a
 * network and the IO layer only carries them out.
 *
 * <ul>
 *   <li>{@code MOVED slot host:port}: the slot has a new owner for good. The command did not run, so resending it
 *       keeps at-most-once: update the map ({@link Moved#apply}) and send it to the target.</li>
 *   <li>{@code ASK slot host:port}: the slot is being migrated and this key is already at the target: send
 *       {@code ASKING} and the command there in one write; the map does not change.</li>
 *   <li>{@code TRYAGAIN} (a multi-key command during a slot's migration) and {@code CLUSTERDOWN} (the cluster or
 *       the slot is not served right now): retry the same command after a backoff, if the deadline allows.</li>
 *   <li>Anything else is the command's answer ({@link NotARedirect}).</li>
 * </ul>
 * Every redirect and retry counts toward {@link Policy#maxRedirects()}; past it, or past the deadline, the
 * command {@link GiveUp gives up} with the server's last words.
 *
 * <pre>{@code
 * switch (Redirects.decide(error, node.host(), cmd.redirects(), now, cmd.deadline(), Redirects.Policy.DEFAULT)) {
 *     case Redirects.Moved m -> { map = m.apply(map); resend(cmd, m.host(), m.port()); }
 *     case Redirects.Ask a -> sendAsking(cmd, a.host(), a.port());
 *     case Redirects.Retry r -> retryAt(cmd, now + r.delayNanos());
 *     case Redirects.GiveUp g -> cmd.fail(new RedisServerException(g.message()));
 *     case Redirects.NotARedirect n -> cmd.fail(error);
 * }
 * }</pre>
 */
public final class Redirects {
    private Redirects() {
    }

    /**
     * The bounds: at most {@code maxRedirects} redirects and retries for one command; retries wait
     * {@code firstBackoffNanos}, doubling each time, at most {@code maxBackoffNanos}.
     */
    public record Policy(int maxRedirects, long firstBackoffNanos, long maxBackoffNanos) {
        /** 5 redirects; retries after 10 ms, 20 ms, 40 ms ... up to 500 ms. */
        public static final Policy DEFAULT = new Policy(5, 10_000_000L, 500_000_000L);

        public Policy {
            if (maxRedirects < 0 || firstBackoffNanos < 0 || maxBackoffNanos < firstBackoffNanos) {
                throw new IllegalArgumentException("a redirect policy needs maxRedirects >= 0 and "
                        + "0 <= firstBackoff <= maxBackoff, got " + maxRedirects + ", " + firstBackoffNanos + ", "
                        + maxBackoffNanos);
            }
        }

        /** The wait before retry number {@code attempt} (0 = the first). */
        public long backoffNanos(int attempt) {
            long d = firstBackoffNanos;
            for (int i = 0; i < attempt && d < maxBackoffNanos; i++) {
                d *= 2;
            }
            return Math.min(d, maxBackoffNanos);
        }
    }

    /** One of the decisions below. */
    public sealed interface Decision permits Moved, Ask, Retry, GiveUp, NotARedirect {
    }

    /** Update the map, then send the command to {@code host:port}. */
    public record Moved(int slot, String host, int port) implements Decision {
        /** The map with {@code slot} served by this target. */
        public SlotMap apply(SlotMap map) {
            return map.withMoved(slot, host, port);
        }
    }

    /** Send {@code ASKING} and the command to {@code host:port}; the map stays as it is. */
    public record Ask(int slot, String host, int port) implements Decision {
    }

    /** Send the command again, to the slot's owner as the map says then, after {@code delayNanos}. */
    public record Retry(long delayNanos) implements Decision {
    }

    /** Stop: {@code message} says why, with the server's last error in it. */
    public record GiveUp(String message) implements Decision {
    }

    /** The error is the command's answer. */
    public record NotARedirect() implements Decision {
    }

    private static final NotARedirect NOT_A_REDIRECT = new NotARedirect();

    /** As {@link #decide(String, String, int, long, long, Policy)} for an error already made an exception. */
    public static Decision decide(RedisServerException error, String fromHost, int redirectsSoFar, long nowNanos,
                                  long deadlineNanos, Policy policy) {
        return decide(error.getMessage(), fromHost, redirectsSoFar, nowNanos, deadlineNanos, policy);
    }

    /**
     * The decision for the error {@code serverMessage} that the node at {@code fromHost} sent for a command
     * redirected or retried {@code redirectsSoFar} times, at {@code nowNanos} for a command due by
     * {@code deadlineNanos} (same clock; {@code Long.MAX_VALUE} for none). An empty host in a MOVED/ASK means
     * the sender's own host.
     */
    public static Decision decide(String serverMessage, String fromHost, int redirectsSoFar, long nowNanos,
                                  long deadlineNanos, Policy policy) {
        boolean redirect = serverMessage.startsWith("MOVED ") || serverMessage.startsWith("ASK ");
        boolean retry = serverMessage.startsWith("TRYAGAIN") || serverMessage.startsWith("CLUSTERDOWN");
        RedisRedirectException.Redirect r = redirect ? RedisRedirectException.parse(serverMessage) : null;
        if ((r == null || r.slot() < 0 || r.slot() >= Slots.COUNT || r.port() <= 0) && !retry) {
            return NOT_A_REDIRECT;
        }
        if (redirectsSoFar >= policy.maxRedirects()) {
            return new GiveUp(serverMessage + " (after " + redirectsSoFar + " redirects and retries of this "
                    + "command, the most allowed: the cluster's slots keep moving, or its nodes disagree about them)");
        }
        if (retry) {
            long delay = policy.backoffNanos(redirectsSoFar);
            if (deadlineNanos != Long.MAX_VALUE && deadlineNanos - nowNanos < delay) {
                return new GiveUp(serverMessage + " (the command's deadline comes before the next retry, "
                        + delay / 1_000_000 + " ms from now)");
            }
            return new Retry(delay);
        }
        String host = r.host().isEmpty() ? fromHost : r.host();
        return r.ask() ? new Ask(r.slot(), host, r.port()) : new Moved(r.slot(), host, r.port());
    }
}
