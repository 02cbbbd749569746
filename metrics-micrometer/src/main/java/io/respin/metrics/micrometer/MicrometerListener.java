package io.respin.metrics.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.respin.RedisException;
import io.respin.io.IoListener;
import io.respin.io.IoRuntime;
import io.respin.io.RedisEndpoint;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * respin's {@link IoListener} for Micrometer: a timer per command name and outcome (with percentiles), error
 * counters, connection counters and gauges, the runtime's queue depth as gauges. Names follow Micrometer's
 * conventions (dot-separated, lowercase, no unit in the name: a registry adds {@code _seconds}, {@code _total}...):
 *
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #COMMAND}</td><td>Timer</td><td>command, outcome, remote</td><td>submit to end of each command, with
 *       percentiles (0.5, 0.95, 0.99 by default)</td></tr>
 *   <tr><td>{@value #ERRORS}</td><td>Counter</td><td>command, outcome, remote</td><td>commands that did not end OK</td></tr>
 *   <tr><td>{@value #REQUEST_SIZE}</td><td>DistributionSummary (bytes)</td><td>command, remote</td><td>the RESP
 *       encoding of each command written</td></tr>
 *   <tr><td>{@value #REPLY_SIZE}</td><td>DistributionSummary (bytes)</td><td>command, remote</td><td>the RESP
 *       encoding of each reply (error replies too)</td></tr>
 *   <tr><td>{@value #REDIRECTS}</td><td>Counter</td><td>redirect (moved, ask), remote</td><td>cluster redirects a node
 *       answered</td></tr>
 *   <tr><td>{@value #LOST}</td><td>Counter</td><td>connection, remote</td><td>ready connections lost</td></tr>
 *   <tr><td>{@value #RECONNECTS}</td><td>Counter</td><td>connection, remote</td><td>connections back after a loss</td></tr>
 *   <tr><td>{@value #READY}</td><td>Gauge</td><td>remote</td><td>connections ready now (0 once the endpoint is closed)</td></tr>
 *   <tr><td>{@value #BACKPRESSURE}</td><td>Counter</td><td>outcome (refused, waited)</td><td>commands that met the pending bound</td></tr>
 *   <tr><td>{@value #PENDING}</td><td>Gauge</td><td>runtime</td><td>commands queued, waiting, in flight</td></tr>
 *   <tr><td>{@value #PENDING_BYTES}</td><td>Gauge</td><td>runtime</td><td>bytes of their values</td></tr>
 * </table>
 * {@code command} is the command's name ("GET", "CONFIG GET"), never an argument; {@code outcome} the lowercase
 * {@link IoListener.Outcome} ("ok", "server_error", "timeout"...); {@code remote} the server's {@code host:port};
 * {@code connection} "shared", "dedicated", "subscriber" or "monitor"; {@code runtime} the IO thread's name.
 * Meters are made the first time a name and outcome is seen and looked up without allocating afterwards.
 *
 * <p>Endpoints and runtimes come and go: the gauges of a remote are removed from the registry when the last
 * endpoint to it is closed, a runtime's when the last runtime of that name is closed, and nothing is kept for a
 * closed endpoint or runtime — opening and closing clients for a long time keeps the number of meters bounded (by
 * the command names, outcomes and remotes seen). Timers, summaries and counters stay: they are cumulative.
 *
 * <pre>{@code
 * MeterRegistry registry = ...;
 * RedisClient client = RedisClient.builder("redis://localhost:6379")
 *         .listener(MicrometerListener.builder(registry).build())
 *         .build();
 * }</pre>
 */
public final class MicrometerListener implements IoListener {

    /** Timer of every command: command, outcome, remote. */
    public static final String COMMAND = "respin.command";
    /** Counter of commands that did not end OK: command, outcome, remote. */
    public static final String ERRORS = "respin.command.errors";
    /** Distribution summary of the bytes of each command's RESP encoding, as written: command, remote. */
    public static final String REQUEST_SIZE = "respin.command.request.size";
    /** Distribution summary of the bytes of each reply's RESP encoding: command, remote. */
    public static final String REPLY_SIZE = "respin.command.reply.size";
    /** Counter of cluster redirects a node answered: redirect = moved or ask, remote = that node. */
    public static final String REDIRECTS = "respin.cluster.redirects";
    /** Counter of ready connections lost: connection, remote. */
    public static final String LOST = "respin.connection.lost";
    /** Counter of connections back after a loss: connection, remote. */
    public static final String RECONNECTS = "respin.connection.reconnects";
    /** Gauge of connections ready now: remote. */
    public static final String READY = "respin.connections.ready";
    /** Counter of commands that met the pending bound: outcome = refused or waited. */
    public static final String BACKPRESSURE = "respin.backpressure";
    /** Gauge of the runtime's pending commands: runtime. */
    public static final String PENDING = "respin.commands.pending";
    /** Gauge of the bytes of the runtime's pending command values: runtime. */
    public static final String PENDING_BYTES = "respin.commands.pending.bytes";

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final Redirect[] REDIRECT_KINDS = Redirect.values();

    private final MeterRegistry registry;
    private final double[] percentiles;
    private final boolean histogram;
    /** The endpoints that are open and have been heard of. */
    private final ConcurrentHashMap<RedisEndpoint, EndpointMeters> endpoints = new ConcurrentHashMap<>();
    /** By {@code host:port}: what the open endpoints to it share. */
    private final ConcurrentHashMap<String, RemoteMeters> remotes = new ConcurrentHashMap<>();
    /** By thread name: the open runtimes of that name, whose queue gauges sum them. */
    private final ConcurrentHashMap<String, RuntimeMeters> runtimes = new ConcurrentHashMap<>();
    private final Counter refused;
    private final Counter waited;

    private MicrometerListener(Builder b) {
        this.registry = b.registry;
        this.percentiles = b.percentiles.clone();
        this.histogram = b.histogram;
        this.refused = Counter.builder(BACKPRESSURE).tag("outcome", "refused")
                .description("commands refused because the client held maxPendingCommands or maxPendingBytes")
                .register(registry);
        this.waited = Counter.builder(BACKPRESSURE).tag("outcome", "waited")
                .description("commands that waited for room among the client's pending commands")
                .register(registry);
    }

    /** A listener recording into {@code registry}, with the defaults of {@link Builder}. */
    @SuppressWarnings("exports") // micrometer.core is an automatic module: it cannot be required transitively
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public void commandCompleted(RedisEndpoint endpoint, String command, Object started, long durationNanos,
                                 long bytesOut, long bytesIn, Outcome outcome, RedisException error) {
        RemoteMeters r = meters(endpoint).remote;
        CommandMeters c = r.command(command);
        int o = outcome.ordinal();
        Timer t = c.timers[o];
        if (t == null) {
            t = c.timers[o] = timer(r.remote, command, outcome); // a race makes the same meter twice: harmless
        }
        t.record(durationNanos, TimeUnit.NANOSECONDS);
        if (bytesOut > 0) {
            DistributionSummary out = c.requestSize;
            if (out == null) {
                out = c.requestSize = size(REQUEST_SIZE, command, r.remote, "bytes of the RESP encoding of a command");
            }
            out.record(bytesOut);
        }
        if (bytesIn > 0) {
            DistributionSummary in = c.replySize;
            if (in == null) {
                in = c.replySize = size(REPLY_SIZE, command, r.remote, "bytes of the RESP encoding of a reply");
            }
            in.record(bytesIn);
        }
        if (outcome != Outcome.OK) {
            Counter e = c.errors[o];
            if (e == null) {
                e = c.errors[o] = Counter.builder(ERRORS).tag("command", command).tag("outcome", tag(outcome))
                        .tag("remote", r.remote)
                        .description("commands that ended without a reply, or with an error reply").register(registry);
            }
            e.increment();
        }
    }

    @Override
    public void connectionUp(RedisEndpoint endpoint, Connection connection, boolean reconnect, int attempts) {
        EndpointMeters m = meters(endpoint);
        m.ready.incrementAndGet();
        if (reconnect) {
            Counter.builder(RECONNECTS).tag("connection", tag(connection)).tag("remote", m.remote.remote)
                    .description("connections that came back after a loss").register(registry).increment();
        }
    }

    @Override
    public void connectionDown(RedisEndpoint endpoint, Connection connection, RedisException cause) {
        EndpointMeters m = meters(endpoint);
        m.ready.decrementAndGet();
        Counter.builder(LOST).tag("connection", tag(connection)).tag("remote", m.remote.remote)
                .description("ready connections lost (the client reconnects)").register(registry).increment();
    }

    @Override
    public void backpressure(long pendingCommands, long pendingBytes, boolean refusedNow) {
        (refusedNow ? refused : waited).increment();
    }

    @Override
    public void redirected(RedisEndpoint from, String command, Redirect kind, int slot, String toHost, int toPort) {
        RemoteMeters r = meters(from).remote;
        Counter c = r.redirects[kind.ordinal()];
        if (c == null) {
            c = r.redirects[kind.ordinal()] = Counter.builder(REDIRECTS).tag("redirect", tag(kind))
                    .tag("remote", r.remote).description("cluster redirects (MOVED, ASK) a node answered")
                    .register(registry);
        }
        c.increment();
    }

    @Override
    public void endpointClosed(RedisEndpoint endpoint) {
        EndpointMeters m = endpoints.remove(endpoint);
        if (m != null) {
            release(m);
        }
    }

    @Override
    public void runtimeClosed(IoRuntime runtime) {
        for (RedisEndpoint e : endpoints.keySet()) {
            if (e.runtime() == runtime) {
                endpointClosed(e);
            }
        }
        runtimes.computeIfPresent(runtime.settings().threadName(), (name, rt) -> {
            rt.open.remove(runtime);
            if (!rt.open.isEmpty()) {
                return rt;
            }
            registry.remove(rt.pending);
            registry.remove(rt.pendingBytes);
            return null;
        });
    }

    /** Endpoints, remotes and runtime names the listener keeps state for (a test: closed ones must not stay). */
    int entries() {
        return endpoints.size() + remotes.size() + runtimes.size();
    }

    private EndpointMeters meters(RedisEndpoint endpoint) {
        EndpointMeters m = endpoints.get(endpoint);
        if (m != null) {
            return m;
        }
        if (endpoint.isClosed()) {
            return late(endpoint);
        }
        return endpoints.computeIfAbsent(endpoint, this::register);
    }

    /**
     * An event of an endpoint already closed (the commands its close failed end after it): recorded into the same
     * meters, found again in the registry, but nothing is kept for the endpoint.
     */
    private EndpointMeters late(RedisEndpoint endpoint) {
        EndpointMeters e = new EndpointMeters(endpoint);
        String remote = endpoint.uri().address();
        RemoteMeters r = remotes.get(remote);
        e.remote = r != null ? r : new RemoteMeters(remote);
        return e;
    }

    /** The first event of an endpoint (cold): its remote's gauges if it is the first to it, its runtime's. */
    private EndpointMeters register(RedisEndpoint endpoint) {
        EndpointMeters e = new EndpointMeters(endpoint);
        e.remote = remotes.compute(endpoint.uri().address(), (k, existing) -> {
            RemoteMeters r = existing != null ? existing : new RemoteMeters(k);
            if (existing == null) {
                r.readyGauge = Gauge.builder(READY, r, RemoteMeters::ready).tag("remote", k)
                        .description("connections to the server ready now").register(registry);
            }
            r.open.add(e);
            return r;
        });
        IoRuntime rt = endpoint.runtime();
        runtimes.compute(rt.settings().threadName(), (name, existing) -> {
            RuntimeMeters m = existing != null ? existing : new RuntimeMeters();
            if (existing == null) {
                m.pending = Gauge.builder(PENDING, m, RuntimeMeters::pendingCommands).tag("runtime", name)
                        .description("commands the runtime holds: queued, waiting for a connection, in flight")
                        .register(registry);
                m.pendingBytes = Gauge.builder(PENDING_BYTES, m, RuntimeMeters::pendingBytes).tag("runtime", name)
                        .baseUnit(BaseUnits.BYTES).description("bytes of the values of the commands the runtime holds")
                        .register(registry);
            }
            m.open.add(rt);
            return m;
        });
        return e;
    }

    /** An endpoint closed: its remote forgets it, and its gauge goes with the last endpoint to that remote. */
    private void release(EndpointMeters m) {
        remotes.computeIfPresent(m.remote.remote, (k, r) -> {
            r.open.remove(m);
            if (!r.open.isEmpty()) {
                return r;
            }
            registry.remove(r.readyGauge);
            return null;
        });
    }

    private Timer timer(String remote, String command, Outcome outcome) {
        Timer.Builder b = Timer.builder(COMMAND).tag("command", command).tag("outcome", tag(outcome))
                .tag("remote", remote).description("time from submit to the end of a command");
        if (percentiles.length > 0) {
            b.publishPercentiles(percentiles);
        }
        return b.publishPercentileHistogram(histogram).register(registry);
    }

    private DistributionSummary size(String name, String command, String remote, String description) {
        return DistributionSummary.builder(name).tag("command", command).tag("remote", remote)
                .baseUnit(BaseUnits.BYTES).description(description).register(registry);
    }

    private static String tag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** One open endpoint: its ready connections, and the remote it counts toward. */
    private static final class EndpointMeters {
        final RedisEndpoint endpoint;
        final AtomicInteger ready = new AtomicInteger();
        RemoteMeters remote; // set while it registers, before any other thread can see it

        EndpointMeters(RedisEndpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    /** What the open endpoints to one {@code host:port} share: the ready gauge, meters per command name. */
    private static final class RemoteMeters {
        final String remote;
        final Set<EndpointMeters> open = ConcurrentHashMap.newKeySet();
        final ConcurrentHashMap<String, CommandMeters> commands = new ConcurrentHashMap<>();
        final Counter[] redirects = new Counter[REDIRECT_KINDS.length];
        Gauge readyGauge;

        RemoteMeters(String remote) {
            this.remote = remote;
        }

        CommandMeters command(String name) {
            CommandMeters c = commands.get(name);
            return c != null ? c : commands.computeIfAbsent(name, n -> new CommandMeters());
        }

        /** Connections ready now, over the open endpoints (one that closed without an event counts none). */
        double ready() {
            int n = 0;
            for (EndpointMeters e : open) {
                n += e.endpoint.isClosed() ? 0 : e.ready.get();
            }
            return n;
        }
    }

    /** The open runtimes of one thread name, whose queue depths the gauges sum. */
    private static final class RuntimeMeters {
        final Set<IoRuntime> open = ConcurrentHashMap.newKeySet();
        Gauge pending;
        Gauge pendingBytes;

        double pendingCommands() {
            long n = 0;
            for (IoRuntime rt : open) {
                n += rt.pendingCommands();
            }
            return n;
        }

        double pendingBytes() {
            long n = 0;
            for (IoRuntime rt : open) {
                n += rt.pendingBytes();
            }
            return n;
        }
    }

    /** A command name's meters: timers and error counters by outcome ordinal, filled as outcomes are first seen. */
    private static final class CommandMeters {
        final Timer[] timers = new Timer[OUTCOMES.length];
        final Counter[] errors = new Counter[OUTCOMES.length];
        DistributionSummary requestSize;
        DistributionSummary replySize;
    }

    /** Settings of a {@link MicrometerListener}. */
    public static final class Builder {
        private final MeterRegistry registry;
        private double[] percentiles = {0.5, 0.95, 0.99};
        private boolean histogram;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The percentiles each command timer publishes (default 0.5, 0.95, 0.99; none: no argument). */
        public Builder percentiles(double... percentiles) {
            for (double p : percentiles) {
                if (p < 0 || p > 1) {
                    throw new IllegalArgumentException("a percentile is between 0 and 1, got " + p);
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        /** Publish a percentile histogram too, for registries that aggregate them (Prometheus...); default off. */
        public Builder percentileHistogram(boolean on) {
            this.histogram = on;
            return this;
        }

        public MicrometerListener build() {
            return new MicrometerListener(this);
        }
    }
}
