package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisBackpressureException;
import io.respin.io.IoSettings;
import io.respin.testkit.FaultProxy;
import io.respin.testkit.RedisServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What one client holds is bounded whatever callers do: a million async commands against a stalled server, in a
 * JVM of 256 MiB. Before the bound covered the IO thread's waiting list and in-flight ring, the IO thread drained
 * the submit queue into them without limit (362k of 500k accepted, 124 MiB of heap), and a million rejections, each
 * with its own stack trace, did not fit in 512 MiB.
 */
class BoundedMemoryTest {

    @Test
    void aMillionCommandsAgainstAStalledServerStayBoundedAndAllComplete() throws Exception {
        String out = runChild("wait");
        assertTrue(out.contains("completed=1000000 failed=0"), out);
        long heldMb = Long.parseLong(out.replaceAll("(?s).*heldHeapMb=(\\d+).*", "$1"));
        long pending = Long.parseLong(out.replaceAll("(?s).*pendingWhileStalled=(\\d+).*", "$1"));
        assertEquals(65_536, pending, "exactly the bound was held while the server stalled: " + out);
        assertTrue(heldMb < 120, "heap after GC while holding the bound: " + heldMb + " MiB; " + out);
    }

    @Test
    void aMillionRejectionsKeptByTheCallerCostAlmostNothing() throws Exception {
        String out = runChild("failfast");
        assertTrue(out.contains("rejected=999984"), out); // all but the 16 the bound holds
        assertTrue(out.contains("sameInstance=true"), out);
        long heldMb = Long.parseLong(out.replaceAll("(?s).*heldHeapMb=(\\d+).*", "$1"));
        assertTrue(heldMb < 150, "a million rejected futures kept: " + heldMb + " MiB; " + out);
    }

    /**
     * The bound in bytes: 20,000 async SETs of fresh 64 KiB values (1.25 GiB if all were held) against a stalled
     * server, in a 256 MiB heap, with maxPendingBytes of 32 MiB. The client holds at most 32 MiB of values, the heap
     * stays small, and every SET completes once the server resumes.
     */
    @Test
    void bigValuesAgainstAStalledServerAreBoundedInBytes() throws Exception {
        String out = runChild("bytes");
        assertTrue(out.contains("completed=20000 failed=0"), out);
        long pendingBytes = Long.parseLong(out.replaceAll("(?s).*pendingBytesWhileStalled=(\\d+).*", "$1"));
        long pending = Long.parseLong(out.replaceAll("(?s).*pendingWhileStalled=(\\d+).*", "$1"));
        long heldMb = Long.parseLong(out.replaceAll("(?s).*heldHeapMb=(\\d+).*", "$1"));
        assertTrue(pendingBytes <= 32L << 20, "at most the bound in bytes: " + out);
        assertTrue(pendingBytes > (32L << 20) - (64L << 10) - 16, "filled up to the bound: " + out);
        assertEquals(pendingBytes / ((64 << 10) + 5), pending, "the commands held are the bytes' worth: " + out);
        assertTrue(heldMb < 120, "heap after GC while holding the bound: " + heldMb + " MiB; " + out);
    }

    /** One command heavier than the whole byte bound is let in alone (else it could never be sent). */
    @Test
    void aCommandHeavierThanTheByteBoundGoesAlone() {
        try (RedisServer server = RedisServer.builder().start();
             RedisClient client = RedisClient.builder(server.uri()).maxPendingBytes(1 << 20)
                     .backpressure(IoSettings.Backpressure.FAIL_FAST).build()) {
            String big = "b".repeat(4 << 20);
            assertEquals("OK", client.sync().set("bounded:big", big));
            assertEquals(4 << 20, client.sync().strlen("bounded:big"));
            assertEquals(0, client.endpoint().runtime().pendingBytes(), "every byte given back at the end");
        }
    }

    /** FAIL_FAST at the byte bound: the rejection says which bound and which setting raises it. */
    @Test
    void aRejectionAtTheByteBoundNamesTheSetting() throws Exception {
        try (RedisServer server = RedisServer.builder().start();
             FaultProxy proxy = FaultProxy.start(server);
             RedisClient client = RedisClient.builder(proxy.uri()).maxPendingBytes(1 << 20)
                     .backpressure(IoSettings.Backpressure.FAIL_FAST).build()) {
            client.sync().ping();
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            CompletableFuture<String> first = client.async().set("bounded:a", "a".repeat(800 << 10));
            CompletableFuture<String> second = client.async().set("bounded:b", "b".repeat(800 << 10));
            Throwable e = second.handle((v, t) -> t).get(5, TimeUnit.SECONDS);
            assertTrue(e instanceof RedisBackpressureException, String.valueOf(e));
            assertTrue(e.getMessage().contains("MiB of command values")
                    && e.getMessage().contains("RedisClientBuilder.maxPendingBytes"), e.getMessage());
            proxy.resume();
            assertEquals("OK", first.get(5, TimeUnit.SECONDS), "the one that fit went through");
        }
    }

    private static String runChild(String mode) throws Exception {
        try (RedisServer server = RedisServer.builder().start()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), Child.class.getName(), server.host(),
                    Integer.toString(server.port()), mode).redirectErrorStream(true).start();
            String out;
            try {
                assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child finished");
            } finally {
                out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                child.destroyForcibly();
            }
            System.out.println(mode + ": " + out); // the numbers, in the test's output file
            return out;
        }
    }

    /** Runs in a JVM of its own with a 256 MiB heap. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (FaultProxy proxy = FaultProxy.start(args[0], Integer.parseInt(args[1]))) {
                if (args[2].equals("wait")) {
                    stalledThenResumed(proxy);
                } else if (args[2].equals("bytes")) {
                    bigValues(proxy);
                } else {
                    rejections(proxy);
                }
            }
        }

        private static void stalledThenResumed(FaultProxy proxy) throws Exception {
            try (RedisClient client = RedisClient.builder(proxy.uri()).build()) { // defaults: 65,536, wait
                stallSubmitResume(client, proxy, 1_000_000, i -> client.async().get("bounded:k"), "v"::equals);
            }
        }

        private static void bigValues(FaultProxy proxy) throws Exception {
            try (RedisClient client = RedisClient.builder(proxy.uri()).maxPendingBytes(32 << 20)
                    .commandTimeout(java.time.Duration.ofSeconds(60)).build()) {
                // each value fresh, so that only the client holds it
                stallSubmitResume(client, proxy, 20_000, i -> client.async().set("bounded:big:" + (i % 64),
                        "v".repeat(64 << 10) + String.format("%05d", i)), "OK"::equals);
            }
        }

        /**
         * Stalls the server, has one thread submit {@code total} commands (it waits for room at the bound), measures
         * what the client holds after 2 s, resumes, and prints the numbers and how many completed as {@code ok}.
         */
        private static void stallSubmitResume(RedisClient client, FaultProxy proxy, int total,
                                              java.util.function.IntFunction<CompletableFuture<?>> submit,
                                              java.util.function.Predicate<Object> ok) throws Exception {
            client.sync().set("bounded:k", "v");
            proxy.stall(FaultProxy.Direction.TO_SERVER);
            proxy.stall(FaultProxy.Direction.TO_CLIENT);
            AtomicLong completed = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            Thread submitter = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    submit.apply(i).whenComplete((v, e) -> {
                        if (e == null && ok.test(v)) {
                            completed.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                }
            });
            submitter.start();
            Thread.sleep(2_000); // the submitter waits for room: the client holds its bound
            long pending = client.endpoint().runtime().pendingCommands();
            long pendingBytes = client.endpoint().runtime().pendingBytes();
            long heldMb = usedAfterGcMb();
            proxy.resume();
            submitter.join(60_000);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (completed.get() + failed.get() < total && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            System.out.println("pendingWhileStalled=" + pending + " pendingBytesWhileStalled=" + pendingBytes
                    + " heldHeapMb=" + heldMb);
            System.out.println("completed=" + completed.get() + " failed=" + failed.get());
        }

        private static void rejections(FaultProxy proxy) throws Exception {
            try (RedisClient client = RedisClient.builder(proxy.uri()).maxPendingCommands(16)
                    .backpressure(IoSettings.Backpressure.FAIL_FAST).build()) {
                proxy.stall(FaultProxy.Direction.TO_SERVER);
                proxy.stall(FaultProxy.Direction.TO_CLIENT);
                List<CompletableFuture<String>> kept = new ArrayList<>(1_000_000); // as allOf would keep them
                for (int i = 0; i < 1_000_000; i++) {
                    kept.add(client.async().get("bounded:k"));
                }
                long rejected = 0;
                Throwable first = null;
                boolean same = true;
                for (CompletableFuture<String> f : kept) {
                    if (f.isCompletedExceptionally()) {
                        Throwable e = f.handle((v, t) -> t).join();
                        if (e instanceof RedisBackpressureException) {
                            rejected++;
                            if (first == null) {
                                first = e;
                            }
                            same &= e == first;
                        }
                    }
                }
                long heldMb = usedAfterGcMb();
                System.out.println("rejected=" + rejected + " sameInstance=" + same + " heldHeapMb=" + heldMb
                        + " kept=" + kept.size());
                proxy.resume();
            }
        }

        private static long usedAfterGcMb() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        }
    }
}
