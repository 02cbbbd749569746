package io.respin.engine.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and its SHA1, computed here once, as the server computes it. Keep the object and run it with
 * {@code evalScript}: the clients send EVALSHA (only 40 bytes on the wire) and fall back to EVAL — which also
 * loads the script — when the server answers NOSCRIPT (a restart, SCRIPT FLUSH, a failover).
 *
 * <pre>{@code
 * static final Script RATE_LIMIT = Script.of("return redis.call('INCR', KEYS[1])");
 * Reply n = redis.evalScript(RATE_LIMIT, List.of("hits"), List.of());
 * }</pre>
 *
 * @param lua  the script's source
 * @param sha1 its SHA1, 40 lower-case hex digits
 */
public record Script(String lua, String sha1) {

    public static Script of(String lua) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(lua.getBytes(StandardCharsets.UTF_8));
            return new Script(lua, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which every Java platform must provide", e);
        }
    }

    /** True when {@code e} is the server's "this script is not loaded" answer. */
    public static boolean isNoScript(Throwable e) {
        return e instanceof io.respin.RedisServerException s && s.prefix().equals("NOSCRIPT");
    }
}
