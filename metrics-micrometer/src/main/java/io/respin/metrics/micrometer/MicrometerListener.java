package io.respin.metrics.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.respin.RedisException;
import io.respin.io.IoListener;
import io.respin.io.IoRuntime;
import io.respin.io.RedisEndpoint;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

    private final MeterRegistry registry;
    private final double[] percentiles;
    private final boolean histogram;
    private final ConcurrentHashMap<RedisEndpoint, EndpointMeters> endpoints = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<IoRuntime, Boolean> runtimes = new ConcurrentHashMap<>();
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
    public void commandCompleted(RedisEndpoint endpoint, String command, long durationNanos, Outcome outcome,
                                 RedisException error) {
        CommandMeters c = meters(endpoint).command(command);
        int o = outcome.ordinal();
        Timer t = c.timers[o];
        if (t == null) {
            t = c.timers[o] = timer(meters(endpoint).remote, command, outcome); // a race makes the same meter twice
        }
        t.record(durationNanos, TimeUnit.NANOSECONDS);
        if (outcome != Outcome.OK) {
            Counter e = c.errors[o];
            if (e == null) {
                e = c.errors[o] = Counter.builder(ERRORS).tag("command", command).tag("outcome", tag(outcome))
                        .tag("remote", meters(endpoint).remote)
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
            Counter.builder(RECONNECTS).tag("connection", tag(connection)).tag("remote", m.remote)
                    .description("connections that came back after a loss").register(registry).increment();
        }
    }

    @Override
    public void connectionDown(RedisEndpoint endpoint, Connection connection, RedisException cause) {
        EndpointMeters m = meters(endpoint);
        m.ready.decrementAndGet();
        Counter.builder(LOST).tag("connection", tag(connection)).tag("remote", m.remote)
                .description("ready connections lost (the client reconnects)").register(registry).increment();
    }

    @Override
    public void backpressure(long pendingCommands, long pendingBytes, boolean refusedNow) {
        (refusedNow ? refused : waited).increment();
    }

    private EndpointMeters meters(RedisEndpoint endpoint) {
        EndpointMeters m = endpoints.get(endpoint);
        return m != null ? m : endpoints.computeIfAbsent(endpoint, this::register);
    }

    /** The first event of an endpoint (cold): its gauges, and its runtime's. */
    private EndpointMeters register(RedisEndpoint endpoint) {
        EndpointMeters m = new EndpointMeters(endpoint.uri().address());
        Gauge.builder(READY, endpoint, e -> e.isClosed() ? 0 : m.ready.get()).tag("remote", m.remote)
                .description("connections of the endpoint ready now").register(registry);
        IoRuntime rt = endpoint.runtime();
        if (runtimes.putIfAbsent(rt, Boolean.TRUE) == null) {
            String name = rt.settings().threadName();
            Gauge.builder(PENDING, rt, IoRuntime::pendingCommands).tag("runtime", name)
                    .description("commands the runtime holds: queued, waiting for a connection, in flight")
                    .register(registry);
            Gauge.builder(PENDING_BYTES, rt, IoRuntime::pendingBytes).tag("runtime", name).baseUnit("bytes")
                    .description("bytes of the values of the commands the runtime holds").register(registry);
        }
        return m;
    }

    private Timer timer(String remote, String command, Outcome outcome) {
        Timer.Builder b = Timer.builder(COMMAND).tag("command", command).tag("outcome", tag(outcome))
                .tag("remote", remote).description("time from submit to the end of a command");
        if (percentiles.length > 0) {
            b.publishPercentiles(percentiles);
        }
        return b.publishPercentileHistogram(histogram).register(registry);
    }

    private static String tag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** One endpoint's meters: per command name, per outcome. */
    private static final class EndpointMeters {
        final String remote;
        final AtomicInteger ready = new AtomicInteger();
        final ConcurrentHashMap<String, CommandMeters> commands = new ConcurrentHashMap<>();

        EndpointMeters(String remote) {
            this.remote = remote;
        }

        CommandMeters command(String name) {
            CommandMeters c = commands.get(name);
            return c != null ? c : commands.computeIfAbsent(name, n -> new CommandMeters());
        }
    }

    /** A command name's timers and error counters by outcome ordinal; filled as outcomes are first seen. */
    private static final class CommandMeters {
        final Timer[] timers = new Timer[OUTCOMES.length];
        final Counter[] errors = new Counter[OUTCOMES.length];
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
