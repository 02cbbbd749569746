package io.respin.engine.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-thread hit count: exact over many threads, including the ones that ended and were folded. */
class ThreadCountsTest {

    @Test
    void theSumIsExactOverThreadsThatRunAndEnd() throws Exception {
        ThreadCounts counts = new ThreadCounts();
        long expected = 0;
        for (int wave = 0; wave < 5; wave++) { // 5 x 40 threads: past the first fold at 64 cells
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 40; t++) {
                int n = 1000 + t;
                expected += n;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < n; i++) {
                        counts.increment();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(expected, counts.sum(), "after wave " + wave);
        }
        for (int i = 0; i < 7; i++) {
            counts.increment();
        }
        assertEquals(expected + 7, counts.sum(), "this thread's own count");
    }
}
