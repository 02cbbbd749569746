package io.respin.client.async.sentinel;

import io.respin.RedisConnectionException;
import io.respin.RedisServerException;
import io.respin.client.async.sentinel.NodeProbe.Access;
import io.respin.engine.resp.Reply;
import io.respin.engine.sentinel.HostAndPort;
import io.respin.engine.sentinel.Role;
import io.respin.engine.sentinel.SentinelDiscovery;
import io.respin.engine.sentinel.SentinelDiscovery.Step;
import io.respin.engine.sentinel.SentinelReplies;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives the engine's {@link SentinelDiscovery} over {@link NodeProbe}s: asks the sentinels in turn (each with the
 * short sentinel timeout), verifies the named primary with {@code ROLE}, waits a little and starts over while it is
 * not (yet) the primary, and learns the other sentinels from {@code SENTINEL sentinels} of the one that answered.
 * The discovery keeps its sentinel order between calls, so the one that answered last is asked first next time.
 * One discovery at a time (synchronized): the thread building the client, then the follower's thread.
 */
final class PrimaryFinder {

    private static final System.Logger LOG = System.getLogger("io.respin.sentinel");

    private final SentinelDiscovery discovery;
    private final Access sentinels;
    private final Access nodes;
    /** The {@code config-epoch} each sentinel reported with its last answer (-1: it did not say). */
    private final java.util.Map<HostAndPort, Long> epochs = new java.util.HashMap<>();

    /**
     * Asked before a named node's {@code ROLE} check: a reason to pass over what {@code sentinel} named (then the next
     * sentinel is asked), or null to go on. {@code epoch}: the sentinel's config epoch, -1 when unknown.
     */
    interface Guard {
        Guard NONE = (candidate, sentinel, epoch) -> null;

        String reject(HostAndPort candidate, HostAndPort sentinel, long epoch);
    }

    PrimaryFinder(String masterName, List<HostAndPort> seeds, Access sentinels, Access nodes) {
        this.discovery = new SentinelDiscovery(masterName, seeds);
        this.sentinels = sentinels;
        this.nodes = nodes;
    }

    String masterName() {
        return discovery.masterName();
    }

    /** The sentinels in the order they are asked now (the last that answered first). */
    synchronized List<HostAndPort> sentinels() {
        return discovery.sentinels();
    }

    /**
     * The primary, verified with {@code ROLE}, and the sentinel that named it.
     *
     * @throws RedisConnectionException no sentinel answered, none knows the master name, or what they name is not a
     *                                  primary for a while; the message says which and what to check
     */
    synchronized Step.Found find() {
        return find(Guard.NONE);
    }

    /** {@link #find()}, passing over the nodes {@code guard} rejects (as if they were unreachable). */
    synchronized Step.Found find(Guard guard) {
        Step s = discovery.start();
        while (true) {
            switch (s) {
                case Step.Ask a -> s = ask(a.sentinel());
                case Step.Verify v -> {
                    String no = guard.reject(v.primary(), v.namedBy(), epoch(v.namedBy()));
                    s = no != null ? discovery.unreachable(v.primary(), no) : verify(v.primary());
                }
                case Step.Retry r -> {
                    pause(r.delayNanos());
                    s = discovery.start();
                }
                case Step.Found f -> {
                    learnSentinels(f.namedBy());
                    return f;
                }
                case Step.Failed f -> throw new RedisConnectionException(f.why(), false);
            }
        }
    }

    /** The replicas the sentinels list as usable, each verified with {@code ROLE} to be a replica of {@code primary}. */
    synchronized List<HostAndPort> replicas(HostAndPort primary) {
        for (HostAndPort s : discovery.sentinels()) { // the first that answers
            List<SentinelReplies.Replica> listed;
            try {
                listed = SentinelReplies.replicas(NodeProbe.ask(s, sentinels, "SENTINEL", "replicas",
                        discovery.masterName()));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "respin: SENTINEL replicas from " + s + " failed: " + why(e));
                continue;
            }
            List<HostAndPort> out = new ArrayList<>();
            for (SentinelReplies.Replica r : listed) {
                if (r.usable() && isReplicaOf(r.address(), primary)) {
                    out.add(r.address());
                }
            }
            return out;
        }
        return List.of();
    }

    /** The config epoch {@code sentinel} reported with its last answer; -1 when it did not say. */
    synchronized long epoch(HostAndPort sentinel) {
        return epochs.getOrDefault(sentinel, -1L);
    }

    /** Every replica the first sentinel that answers lists (down ones too: a promotion may pick any), unverified. */
    synchronized List<HostAndPort> listedReplicas() {
        for (HostAndPort s : discovery.sentinels()) {
            try {
                return SentinelReplies.replicas(NodeProbe.ask(s, sentinels, "SENTINEL", "replicas",
                        discovery.masterName())).stream().map(SentinelReplies.Replica::address).toList();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "respin: SENTINEL replicas from " + s + " failed: " + why(e));
            }
        }
        return List.of();
    }

    /** What {@code node} answers to {@code ROLE}; null when it cannot be asked or the reply is not understood. */
    Role role(HostAndPort node) {
        try {
            return Role.parse(NodeProbe.ask(node, nodes, "ROLE"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code node} answers {@code ROLE} as a primary (false when it cannot be asked). */
    boolean isPrimary(HostAndPort node) {
        try {
            return Role.parse(NodeProbe.ask(node, nodes, "ROLE")).isPrimary();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean isReplicaOf(HostAndPort node, HostAndPort primary) {
        try {
            Role role = Role.parse(NodeProbe.ask(node, nodes, "ROLE"));
            return role.kind() == Role.Kind.REPLICA && role.primary().port() == primary.port();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Step ask(HostAndPort sentinel) {
        Reply r;
        List<Reply> both;
        try { // one round trip: the address, and the config epoch it belongs to (a stale sentinel's is older)
            both = NodeProbe.askAll(sentinel, this.sentinels,
                    new String[] {"SENTINEL", "get-master-addr-by-name", discovery.masterName()},
                    new String[] {"SENTINEL", "master", discovery.masterName()});
            r = both.get(0);
            if (r instanceof Reply.Text t && t.type().isError()) {
                throw new RedisServerException(t.asString());
            }
        } catch (RedisServerException e) {
            return discovery.noAnswer(sentinel, refusedLogin(e) ? e.getMessage() + "; the sentinels' own password is "
                    + "RedisClientBuilder.sentinelCredentials" : why(e));
        } catch (IOException e) {
            return discovery.noAnswer(sentinel, why(e) + tlsHint(e, this.sentinels));
        }
        HostAndPort primary;
        try {
            primary = SentinelReplies.masterAddress(r);
        } catch (IllegalArgumentException e) {
            return discovery.noAnswer(sentinel, "not a sentinel? " + e.getMessage());
        }
        long epoch;
        try {
            epoch = both.get(1) instanceof Reply.Text t && t.type().isError() ? -1
                    : SentinelReplies.configEpoch(both.get(1));
        } catch (IllegalArgumentException e) {
            epoch = -1;
        }
        epochs.put(sentinel, epoch);
        return discovery.answered(sentinel, primary);
    }

    private Step verify(HostAndPort primary) {
        Role role;
        try {
            role = Role.parse(NodeProbe.ask(primary, nodes, "ROLE"));
        } catch (RedisServerException e) {
            if (refusedLogin(e)) { // every sentinel names the same node: asking them again would not help
                throw new RedisServerException(e.getMessage() + " (from " + primary + ", the primary of '"
                        + discovery.masterName() + "' the sentinels name; check the password in the redis-sentinel:// "
                        + "URI's user info or RedisClientBuilder.credentials)");
            }
            return discovery.unreachable(primary, why(e));
        } catch (IOException e) {
            return discovery.unreachable(primary, why(e) + tlsHint(e, nodes));
        } catch (IllegalArgumentException e) {
            return discovery.unreachable(primary, "its ROLE reply was not understood: " + e.getMessage());
        }
        return discovery.verified(role);
    }

    private void learnSentinels(HostAndPort from) {
        try {
            discovery.learned(SentinelReplies.sentinels(NodeProbe.ask(from, sentinels, "SENTINEL", "sentinels",
                    discovery.masterName())));
        } catch (IOException | RuntimeException e) { // the list stays as it was; the primary is found all the same
            LOG.log(System.Logger.Level.DEBUG, () -> "respin: SENTINEL sentinels from " + from + " failed: " + why(e));
        }
    }

    /** The node refused the AUTH (wrong or missing password): the server's words never hold the password. */
    private static boolean refusedLogin(RedisServerException e) {
        String p = e.prefix();
        return "WRONGPASS".equals(p) || "NOAUTH".equals(p) || e.getMessage().startsWith("ERR AUTH");
    }

    /**
     * What a failed connection may say about TLS: a plain client on a TLS port sees the node close the connection,
     * a TLS client on a plain port (or one that does not trust the certificate) a failed handshake.
     */
    static String tlsHint(IOException e, Access access) {
        if (access.tls() == null && (e instanceof java.net.SocketException && !(e instanceof java.net.ConnectException)
                || "the node closed the connection".equals(e.getMessage()))) { // a TLS port resets a plain hello
            return " — a TLS port? redis-sentinel:// talks plain TCP; use rediss-sentinel:// (and RedisClientBuilder.tls "
                    + "to trust the certificate)";
        }
        if (access.tls() != null && e instanceof javax.net.ssl.SSLException) {
            return " — the TLS handshake failed: a plain port? rediss-sentinel:// talks TLS, use redis-sentinel:// for "
                    + "plain TCP; or RedisClientBuilder.tls does not trust its certificate";
        }
        return "";
    }

    private static String why(Exception e) {
        if (e instanceof java.net.ConnectException) {
            return "refused";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void pause(long nanos) {
        try {
            Thread.sleep(java.time.Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisConnectionException("interrupted while looking for the primary through the sentinels", false, e);
        }
    }
}
