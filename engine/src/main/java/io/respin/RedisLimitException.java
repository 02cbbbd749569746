package io.respin;

/**
 * A reply broke a limit the client sets, and only the command it belonged to fails: a value longer than
 * {@code maxBulk} (default 512 MiB, Redis's own {@code proto-max-bulk-len}). The rest of the reply is read and
 * dropped, so the connection and every other command on it carry on. The message names the limit and the setting
 * that raises it ({@code RedisClientBuilder.maxBulk(bytes)}).
 *
 * <pre>{@code
 * catch (RedisLimitException e) { log.warn("value too large: {}", e.getMessage()); }
 * }</pre>
 */
public class RedisLimitException extends RedisException {
    private static final long serialVersionUID = 1L;

    public RedisLimitException(String message) {
        super(message);
    }
}
