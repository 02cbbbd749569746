package io.respin;

/**
 * The server (a Redis Cluster node) answered {@code -MOVED slot host:port} or {@code -ASK slot host:port}: the
 * key's slot is served elsewhere. {@link #redirect()} holds the parsed slot and address, so cluster routing can
 * act on it without parsing the message again.
 *
 * <pre>{@code
 * catch (RedisRedirectException e) {
 *     RedisRedirectException.Redirect r = e.redirect();
 *     connectTo(r.host(), r.port()); // then re-send (after ASKING when r.ask())
 * }
 * }</pre>
 */
public class RedisRedirectException extends RedisServerException {
    private static final long serialVersionUID = 1L;
    private final transient Redirect redirect;

    /**
     * Where the server sent the command.
     *
     * @param ask  true for {@code ASK} (one-off, send {@code ASKING} first), false for {@code MOVED} (permanent)
     * @param slot the hash slot, 0..16383
     * @param host the target's host as the server wrote it; empty when the server left it out (same host)
     * @param port the target's port
     */
    public record Redirect(boolean ask, int slot, String host, int port) {
    }

    /** @param serverMessage the error line as sent, e.g. {@code MOVED 3999 127.0.0.1:6381} */
    public RedisRedirectException(String serverMessage, Redirect redirect) {
        super(serverMessage);
        this.redirect = redirect;
    }

    public Redirect redirect() {
        return redirect;
    }

    /**
     * Parses {@code MOVED|ASK <slot> <host>:<port>}; returns null when the message is not a well-formed redirect
     * (the caller then keeps a plain {@link RedisServerException}).
     */
    public static Redirect parse(String serverMessage) {
        String[] parts = serverMessage.split(" ");
        if (parts.length != 3 || !(parts[0].equals("MOVED") || parts[0].equals("ASK"))) {
            return null;
        }
        int colon = parts[2].lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            int slot = Integer.parseInt(parts[1]);
            int port = Integer.parseInt(parts[2].substring(colon + 1));
            return new Redirect(parts[0].equals("ASK"), slot, parts[2].substring(0, colon), port);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
