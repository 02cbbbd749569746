package io.respin.client.async.sentinel;

import io.respin.RedisConnectionException;
import io.respin.engine.sentinel.HostAndPort;
import io.respin.io.ConnectionEvents;
import io.respin.io.ConnectionOptions;
import io.respin.io.IoCommand;
import io.respin.io.IoRuntime;
import io.respin.io.RedisEndpoint;
import io.respin.io.RedisUri;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replicas reads go to ({@code readFromReplicas}): one endpoint per verified replica, taken in turn by read-only
 * commands; everything else, and every read while there is no replica, goes to the primary's endpoint.
 * <pre>
 *   submit(c) ─ c.idempotent() and a replica ─▶ readers[i++ % n].submit(c)
 *             ─ else ───────────────────────────▶ primary.submit(c)
 * </pre>
 * Threads: {@link #refresh} and {@link #close} on the follower's thread (the building thread before it starts);
 * {@link #submit} on any caller's, reading the {@link #readers} array the follower publishes whole.
 */
final class ReplicaReads {

    private static final System.Logger LOG = System.getLogger("io.respin.sentinel");

    private final IoRuntime runtime;
    private final RedisUri data;
    private final ConnectionEvents events;
    private volatile RedisEndpoint[] readers = new RedisEndpoint[0];
    /** Follower thread. */
    private final Map<HostAndPort, RedisEndpoint> byNode = new LinkedHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    /** {@code events} hears of a lost replica connection (to list the replicas again). */
    ReplicaReads(IoRuntime runtime, RedisUri data, ConnectionEvents events) {
        this.runtime = runtime;
        this.data = data;
        this.events = events;
    }

    /** A read to the next replica, anything else (or with no replica) to {@code primary}. */
    void submit(IoCommand c, RedisEndpoint primary) {
        RedisEndpoint[] rs = readers;
        if (c.idempotent() && rs.length > 0) {
            RedisEndpoint r = rs[Math.floorMod(next.getAndIncrement(), rs.length)];
            try {
                r.submit(c);
                return;
            } catch (RedisConnectionException e) {
                if (!r.isClosed()) {
                    throw e;
                }
                // the follower closed that replica a moment ago; nothing was sent: the primary answers instead
            }
        }
        primary.submit(c);
    }

    /** Keeps an endpoint on each of {@code verified} (with the primary's {@code options}) and on no other node. */
    void refresh(List<HostAndPort> verified, ConnectionOptions options) {
        Set<HostAndPort> keep = new LinkedHashSet<>(verified);
        for (var it = byNode.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!keep.contains(e.getKey()) || e.getValue().isClosed()) {
                it.remove();
                readers = byNode.values().toArray(RedisEndpoint[]::new); // out of the rotation before it closes
                e.getValue().close();
            }
        }
        for (HostAndPort r : keep) {
            if (!byNode.containsKey(r)) {
                try {
                    byNode.put(r, runtime.connect(data.withAddress(r.host(), r.port()),
                            options.toBuilder().pushListener(null).withoutCache().connectionEvents(events).build()));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "respin: cannot connect to replica " + r + ": "
                            + e.getMessage());
                }
            }
        }
        readers = byNode.values().toArray(RedisEndpoint[]::new);
    }

    /** The replicas in the rotation now. */
    List<HostAndPort> nodes() {
        return Arrays.stream(readers).map(e -> new HostAndPort(e.uri().host(), e.uri().port())).toList();
    }

    void close() {
        readers = new RedisEndpoint[0];
        byNode.values().forEach(RedisEndpoint::close);
        byNode.clear();
    }
}
