package io.respin.perf.client;

import java.util.concurrent.CompletionStage;

/**
 * A client whose calls return at once with a stage that completes when the reply arrives. Calls come from one or
 * more harness threads, and from completion callbacks (the closed loop issues the next command from the callback of
 * the previous one), so every method must be safe to call from any thread.
 *
 * <pre>{@code
 * CompletionStage<byte[]> value = client.get("key:000000000001".getBytes(US_ASCII));
 * }</pre>
 */
public interface AsyncBenchClient extends BenchClient {

    /** {@code GET key}; completes with the value, or {@code null} when the key does not exist. */
    CompletionStage<byte[]> get(byte[] key);

    /** {@code SET key value}. */
    CompletionStage<?> set(byte[] key, byte[] value);

    /** {@code SETEX key seconds value}. */
    CompletionStage<?> setex(byte[] key, long seconds, byte[] value);
}
