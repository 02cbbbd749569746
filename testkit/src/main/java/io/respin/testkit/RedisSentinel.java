package io.respin.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sentinels of real processes watching a primary (a {@link RedisServer} with its replicas), for tests of
 * sentinel discovery and failover. {@link Builder#start()} returns once every sentinel monitors the primary,
 * has found its replicas and (with more than one sentinel) the other sentinels.
 *
 * <pre>{@code
 * try (RedisServer primary = RedisServer.builder().start();
 *      RedisServer replica = RedisServer.replicaOf(primary);
 *      RedisSentinel sentinel = RedisSentinel.builder(primary).replicas(1).start()) {
 *     primary.kill();
 *     sentinel.awaitPrimary(replica.port());   // the replica was promoted
 * }
 * }</pre>
 */
public final class RedisSentinel implements AutoCloseable {

    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String masterName;
    private final List<RedisServer> sentinels;

    private RedisSentinel(String masterName, List<RedisServer> sentinels) {
        this.masterName = masterName;
        this.sentinels = List.copyOf(sentinels);
    }

    /** Sentinels for {@code primary}. */
    public static Builder builder(RedisServer primary) {
        return new Builder(primary);
    }

    /** The name the primary is monitored under ({@code SENTINEL GET-MASTER-ADDR-BY-NAME name}). */
    public String masterName() {
        return masterName;
    }

    /** The sentinel processes. */
    public List<RedisServer> sentinels() {
        return sentinels;
    }

    /** {@code "127.0.0.1:port"} of every sentinel. */
    public List<String> seeds() {
        return sentinels.stream().map(RedisServer::hostAndPort).toList();
    }

    /** {@code "127.0.0.1:tlsPort"} of every sentinel (built with {@link Builder#tls()}). */
    public List<String> tlsSeeds() {
        return sentinels.stream().map(s -> s.host() + ":" + s.tlsPort()).toList();
    }

    /** The port of the primary as the first live sentinel reports it now. */
    public int primaryPort() {
        RedisServer s = sentinels.stream().filter(RedisServer::isAlive).findFirst()
                .orElseThrow(() -> new IllegalStateException("every sentinel is down"));
        List<?> addr = (List<?>) s.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
        return Integer.parseInt((String) addr.get(1));
    }

    /** Waits until every live sentinel reports the primary on {@code port} (e.g. after a failover). */
    public void awaitPrimary(int port) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (RedisServer s : sentinels.stream().filter(RedisServer::isAlive).toList()) {
            Object addr = null;
            while (true) {
                addr = s.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
                if (addr instanceof List<?> l && Integer.toString(port).equals(l.get(1))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sentinel " + s + " still reports " + addr + " for " + masterName
                            + " instead of port " + port + "; its log:\n" + ServerProcess.tail(s.log()));
                }
                pause();
            }
        }
    }

    @Override
    public void close() {
        sentinels.forEach(RedisServer::close);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for sentinels", e);
        }
    }

    /**
     * Settings for the sentinels; {@link #start()} starts them and waits until they see the whole setup.
     *
     * <pre>{@code
     * RedisSentinel s = RedisSentinel.builder(primary).sentinels(3).replicas(1)
     *         .downAfter(Duration.ofMillis(500)).start();
     * }</pre>
     */
    public static final class Builder {
        private final RedisServer primary;
        private String masterName = "respin";
        private int count = 1;
        private int quorum;
        private int replicas;
        private Duration downAfter = Duration.ofMillis(1000);
        private Duration failoverTimeout = Duration.ofSeconds(10);
        private String password;
        private boolean tls;

        Builder(RedisServer primary) {
            this.primary = primary;
        }

        /** The monitored name (default {@code respin}). */
        public Builder masterName(String name) {
            this.masterName = name;
            return this;
        }

        /** Number of sentinels (default 1). */
        public Builder sentinels(int n) {
            this.count = n;
            return this;
        }

        /** Sentinels that must agree the primary is down (default: a majority). */
        public Builder quorum(int q) {
            this.quorum = q;
            return this;
        }

        /** Replicas of the primary that the sentinels must have found before {@link #start()} returns. */
        public Builder replicas(int n) {
            this.replicas = n;
            return this;
        }

        /** {@code down-after-milliseconds} (default 1 s, short so failover tests stay quick). */
        public Builder downAfter(Duration d) {
            this.downAfter = d;
            return this;
        }

        /** {@code failover-timeout} (default 10 s). */
        public Builder failoverTimeout(Duration d) {
            this.failoverTimeout = d;
            return this;
        }

        /**
         * A password on the sentinels themselves ({@code requirepass}; they use it with each other through
         * {@code sentinel sentinel-pass}); the primary's own password is taken from it as before.
         */
        public Builder requirePass(String sentinelPassword) {
            this.password = sentinelPassword;
            return this;
        }

        /**
         * TLS everywhere: each sentinel gets a TLS port ({@link #tlsSeeds()}) next to its plain one (the admin channel)
         * and talks TLS to the nodes and to the other sentinels; it monitors the primary's TLS port, so it names the
         * nodes by their TLS ports. The primary and its replicas must be built with
         * {@link RedisServer.Builder#tlsReplication()}; the kit's shared CA signs every certificate.
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        public RedisSentinel start() {
            int q = quorum > 0 ? quorum : count / 2 + 1;
            StringBuilder conf = new StringBuilder()
                    .append("sentinel monitor ").append(masterName).append(" 127.0.0.1 ")
                    .append(tls ? primary.tlsPort() : primary.port())
                    .append(' ').append(q).append('\n')
                    .append("sentinel down-after-milliseconds ").append(masterName).append(' ')
                    .append(downAfter.toMillis()).append('\n')
                    .append("sentinel failover-timeout ").append(masterName).append(' ')
                    .append(failoverTimeout.toMillis()).append('\n')
                    .append("sentinel parallel-syncs ").append(masterName).append(" 1\n");
            if (primary.password() != null) {
                conf.append("sentinel auth-pass ").append(masterName).append(' ').append(primary.password()).append('\n');
            }
            if (password != null) {
                conf.append("requirepass ").append(password).append('\n')
                        .append("sentinel sentinel-pass ").append(password).append('\n');
            }
            List<RedisServer> started = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    RedisServer.Builder b = RedisServer.builder().sentinel(conf.toString());
                    if (tls) {
                        b.tlsReplication();
                    }
                    started.add((password == null ? b : b.requirePass(password)).start());
                }
                for (RedisServer s : started) {
                    awaitDiscovery(s);
                }
                return new RedisSentinel(masterName, started);
            } catch (RuntimeException e) {
                started.forEach(RedisServer::close);
                throw e;
            }
        }

        /** Replicas are found through the primary's INFO, other sentinels through hello messages. */
        private void awaitDiscovery(RedisServer sentinel) {
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            String state = "";
            while (true) {
                List<?> fields = (List<?>) sentinel.command("SENTINEL", "MASTER", masterName);
                state = fields.toString();
                if (field(fields, "num-slaves") >= replicas && field(fields, "num-other-sentinels") >= count - 1) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sentinel " + sentinel + " did not find " + replicas + " replica(s) and "
                            + (count - 1) + " other sentinel(s) within 30 s; SENTINEL MASTER: " + state
                            + "\nlog:\n" + ServerProcess.tail(sentinel.log()));
                }
                pause();
            }
        }

        private static long field(List<?> flat, String name) {
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                if (name.equals(flat.get(i))) {
                    return Long.parseLong((String) flat.get(i + 1));
                }
            }
            return -1;
        }
    }
}
