package io.respin.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.perf.client.ClientCatalog;
import io.respin.perf.workload.Workloads;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void noArgumentsMeansTheQuickSuiteOnEveryClientAgainstItsOwnServer() {
        Options o = Options.parse();
        assertNull(o.uri());
        assertEquals(Workloads.QUICK, o.workloads());
        assertEquals(ClientCatalog.defaults(), o.clients());
        assertEquals(0, o.durationNanos(), "quick: the window is fitted to the time budget");
        assertEquals(List.of(10_000.0), o.rates());
        assertEquals(1_000, o.seedTasks());
        assertFalse(o.full());
        assertNull(o.out());
    }

    @Test
    void theListenedRespinSyncRunsOnlyWhenNamed() {
        assertFalse(Options.parse().clients().contains(ClientCatalog.RESPIN_SYNC_LISTENER), "not in the quick suite");
        assertTrue(ClientCatalog.names().contains(ClientCatalog.RESPIN_SYNC_LISTENER));
        assertEquals(List.of("respin-sync", ClientCatalog.RESPIN_SYNC_LISTENER),
                Options.parse("--clients", "respin-sync,respin-sync-listener").clients());
        assertTrue(Options.USAGE.contains("respin-sync-listener"), Options.USAGE);
    }

    @Test
    void fullSuiteHasLongerWindowsAndBiggerSeed() {
        Options o = Options.parse("--full");
        assertTrue(o.full());
        assertEquals(Workloads.FULL, o.workloads());
        assertEquals(5_000_000_000L, o.durationNanos());
        assertEquals(100_000, o.seedTasks());
        assertEquals(List.of(20_000.0), o.rates());
    }

    @Test
    void latencySuiteRunsThreeFixedRatesWithTwoSecondWindows() {
        Options o = Options.parse("--latency");
        assertEquals(Workloads.LATENCY, o.workloads());
        assertEquals(List.of(5_000.0, 10_000.0, 20_000.0), o.rates());
        assertEquals(2_000_000_000L, o.durationNanos());
        assertEquals(List.of(7_000.0), Options.parse("--latency", "--rate", "7000").rates());
        assertEquals(500_000_000L, Options.parse("--latency", "--duration", "500ms").durationNanos());
        assertEquals(3_000_000_000L, o.jitWarmupNanos(), "the latency suite's JIT warm-up");
        assertEquals(1_000_000_000L, Options.parse().jitWarmupNanos());
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--latency", "--full"));
    }

    @Test
    void everyOptionIsRead() {
        Options o = Options.parse("--uri", "redis://10.0.0.5:6380", "--workloads", "closed-k128,large-1m",
                "--clients", "lettuce-async,redis-benchmark", "--duration", "500ms", "--warmup", "2s",
                "--jit-warmup", "0.25", "--rate", "5000,40000", "--seed-tasks", "77", "--threads", "4",
                "--out", "/tmp/x", "--help");
        assertEquals("redis://10.0.0.5:6380", o.uri());
        assertEquals(List.of("closed-k128", "large-1m"), o.workloads());
        assertEquals(List.of("lettuce-async", "redis-benchmark"), o.clients());
        assertEquals(500_000_000L, o.durationNanos());
        assertEquals(2_000_000_000L, o.warmupNanos());
        assertEquals(250_000_000L, o.jitWarmupNanos());
        assertEquals(List.of(5_000.0, 40_000.0), o.rates());
        assertEquals(77, o.seedTasks());
        assertEquals(4, o.threads());
        assertEquals(Path.of("/tmp/x"), o.out());
        assertTrue(o.help());
    }

    @Test
    void mistakesAreReportedWithWhatWasWrong() {
        assertMessage("unknown option '--fast'", "--fast");
        assertMessage("--duration needs a value", "--duration");
        assertMessage("--duration needs a positive number, got 'soon'", "--duration", "soon");
        assertMessage("--rate needs a positive number, got '-5'", "--rate", "-5");
        assertMessage("unknown client 'redisson'", "--clients", "redisson");
        assertMessage("unknown workload 'closed-loop'", "--workloads", "closed-loop");
        assertMessage("workload 'closed-k0' needs a positive number", "--workloads", "closed-k0");
        assertMessage("--uri must look like redis://host:port", "--uri", "localhost:6379");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
