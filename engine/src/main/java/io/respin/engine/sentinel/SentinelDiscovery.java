package io.respin.engine.sentinel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finding the primary of a master name through sentinels, as the Redis "Sentinel clients" guidelines describe it,
 * without IO: the transport asks, connects and reports; this says what to do next.
 * <ol>
 *   <li>Ask the sentinels in turn ({@code SENTINEL get-master-addr-by-name}, a short timeout each); the first that
 *       answers moves to the front of the list, so it is asked first next time.</li>
 *   <li>Connect to the address it gave and verify with {@code ROLE} that the node is a primary: a sentinel may not
 *       have seen a failover yet. If not, the next sentinel is asked (it may have); when none named a primary,
 *       wait a little and start over.</li>
 *   <li>Learn more sentinels from {@code SENTINEL sentinels} ({@link #learned}): the seeds are kept, others added.</li>
 * </ol>
 * One discovery at a time; not thread-safe (the transport's thread drives it).
 *
 * <pre>{@code
 * SentinelDiscovery d = new SentinelDiscovery("mymaster", seeds);
 * Step s = d.start();
 * while (true) switch (s) {
 *     case Step.Ask a     -> s = reply == null ? d.noAnswer(a.sentinel(), why) : d.answered(a.sentinel(), address);
 *     case Step.Verify v  -> s = d.verified(Role.parse(roleReply));   // ROLE on a connection to v.primary()
 *     case Step.Retry r   -> { sleep(r.delayNanos()); s = d.start(); }
 *     case Step.Found f   -> { return f.primary(); }
 *     case Step.Failed f  -> throw new RedisConnectionException(f.why(), false);
 * }
 * }</pre>
 */
public final class SentinelDiscovery {

    /** The wait before starting over when the node a sentinel named is not (yet) a primary. */
    static final long ROLE_RETRY_NANOS = 100_000_000L;
    /** Rounds in a row that end on a non-primary before discovery gives up (with the last reason). */
    static final int MAX_ROLE_ROUNDS = 20;

    private final String masterName;
    private final List<HostAndPort> sentinels;
    private int next;
    private final List<String> unanswered = new ArrayList<>();
    private final List<HostAndPort> unknowing = new ArrayList<>();
    private HostAndPort candidate;
    private HostAndPort named;
    private int roleRounds;
    /** In this round: what the last sentinel that named a node which is not a primary said, or null. */
    private String notPrimary;

    public SentinelDiscovery(String masterName, List<HostAndPort> seeds) {
        this.masterName = Objects.requireNonNull(masterName, "masterName");
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("Sentinel needs at least one sentinel address");
        }
        this.sentinels = new ArrayList<>(seeds);
    }

    public String masterName() {
        return masterName;
    }

    /** The sentinels in the order they will be asked. */
    public List<HostAndPort> sentinels() {
        return List.copyOf(sentinels);
    }

    /** Starts a round: ask the first sentinel. */
    public Step start() {
        next = 0;
        unanswered.clear();
        unknowing.clear();
        candidate = null;
        notPrimary = null;
        return new Step.Ask(sentinels.get(0));
    }

    /** {@code sentinel} answered get-master-addr-by-name with {@code primary} (null: it knows no such master). */
    public Step answered(HostAndPort sentinel, HostAndPort primary) {
        if (primary == null) {
            unknowing.add(sentinel);
            return askNext();
        }
        sentinels.remove(sentinel);
        sentinels.addFirst(sentinel); // the first that answers is asked first from now on
        candidate = primary;
        named = sentinel;
        return new Step.Verify(primary, sentinel);
    }

    /** {@code sentinel} could not be asked (refused, timed out, an error reply): the next one is. */
    public Step noAnswer(HostAndPort sentinel, String why) {
        unanswered.add(sentinel + " (" + why + ")");
        return askNext();
    }

    /** The node named by the last answer says {@code role} ({@code ROLE}). */
    public Step verified(Role role) {
        if (candidate == null) {
            throw new IllegalStateException("verified() before a sentinel named a primary");
        }
        if (role.isPrimary()) {
            roleRounds = 0;
            return new Step.Found(candidate, named);
        }
        notPrimary = "sentinel " + named + " names " + candidate + " as the primary of '" + masterName
                + "', but it says it is a " + role.kind().name().toLowerCase(java.util.Locale.ROOT)
                + (role.primary() != null ? " of " + role.primary() : "");
        return askNext(); // the next sentinel may have seen the failover already
    }

    /** The connection to the named primary failed: the next sentinel is asked (it may know better). */
    public Step unreachable(HostAndPort primary, String why) {
        unanswered.add("primary " + primary + " named by " + named + " (" + why + ")");
        return askNext();
    }

    /** Sentinels learned from {@code SENTINEL sentinels}: unknown ones join the end of the list. */
    public void learned(List<HostAndPort> more) {
        for (HostAndPort s : more) {
            if (!sentinels.contains(s)) {
                sentinels.add(s);
            }
        }
    }

    private Step askNext() {
        next++;
        if (next < sentinels.size()) {
            return new Step.Ask(sentinels.get(next));
        }
        if (notPrimary != null) {
            if (++roleRounds >= MAX_ROLE_ROUNDS) {
                roleRounds = 0;
                return new Step.Failed(notPrimary + " (" + MAX_ROLE_ROUNDS + " rounds in a row); is a failover stuck?");
            }
            return new Step.Retry(ROLE_RETRY_NANOS); // a failover in progress: ask again in a moment
        }
        if (unanswered.isEmpty() && !unknowing.isEmpty()) {
            return new Step.Failed("no sentinel knows a master named '" + masterName + "' (asked " + unknowing
                    + "); check the master name in the redis-sentinel:// URI");
        }
        return new Step.Failed("no sentinel gave a usable primary for '" + masterName + "': "
                + String.join("; ", unanswered)
                + (unknowing.isEmpty() ? "" : "; " + unknowing + " know no such master")
                + "; check the sentinel addresses in the redis-sentinel:// URI");
    }

    /** What the transport does next. */
    public sealed interface Step {
        /** Ask this sentinel {@code SENTINEL get-master-addr-by-name <name>}. */
        record Ask(HostAndPort sentinel) implements Step { }

        /** Connect to {@code primary} and send {@code ROLE}. */
        record Verify(HostAndPort primary, HostAndPort namedBy) implements Step { }

        /** Wait, then {@link #start()} again. */
        record Retry(long delayNanos) implements Step { }

        /** The primary, verified. */
        record Found(HostAndPort primary, HostAndPort namedBy) implements Step { }

        /** Discovery failed; {@code why} says what to check. */
        record Failed(String why) implements Step { }
    }
}
