package io.respin.engine.connection;

/**
 * The commands that change how replies are framed or routed. Every other command is {@link #PLAIN}: one request,
 * one reply.
 *
 * <pre>{@code
 * CommandKind k = CommandKind.of("psubscribe"); // PSUBSCRIBE
 * }</pre>
 */
public enum CommandKind {
    PLAIN,
    MULTI, EXEC, DISCARD, WATCH, UNWATCH,
    SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE,
    MONITOR, RESET, QUIT,
    /** PING: one reply, but also allowed while RESP2-subscribed (where its reply is an array). */
    PING,
    /** CLIENT REPLY ON / OFF / SKIP. */
    CLIENT_REPLY_ON, CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP,
    /**
     * CLIENT TRACKING / CLIENT CACHING: one request, one reply, but it changes what the server tells the connection
     * about keys it read — refused on a connection whose client-side cache depends on that (RedisEndpoint).
     */
    CLIENT_TRACKING,
    HELLO, AUTH, SELECT;

    /**
     * The kind of a command given its name (case-insensitive); for CLIENT, the subcommand and its argument decide.
     * Cold path: typed commands know their kind and do not call this.
     */
    public static CommandKind of(String name, String... rest) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        if (n.equals("CLIENT") && rest.length >= 2 && rest[0].equalsIgnoreCase("REPLY")) {
            return switch (rest[1].toUpperCase(java.util.Locale.ROOT)) {
                case "ON" -> CLIENT_REPLY_ON;
                case "OFF" -> CLIENT_REPLY_OFF;
                case "SKIP" -> CLIENT_REPLY_SKIP;
                default -> PLAIN;
            };
        }
        if (n.equals("CLIENT") && rest.length >= 1
                && (rest[0].equalsIgnoreCase("TRACKING") || rest[0].equalsIgnoreCase("CACHING"))) {
            return CLIENT_TRACKING;
        }
        for (CommandKind k : values()) {
            if (k != PLAIN && !k.name().startsWith("CLIENT_") && k.name().equals(n)) {
                return k;
            }
        }
        return PLAIN;
    }

    /**
     * Why a command of this kind may not go on a connection that many callers share (each one's commands pipelined
     * among the others'), or null when it may: it would change the session for everyone's commands after it.
     */
    public String sharingRefusal() {
        return switch (this) {
            case MULTI, EXEC, DISCARD, WATCH, UNWATCH -> "changes connection state for the commands after it; send "
                    + "transactions through endpoint.dedicated(), not the shared connection";
            case SELECT -> "would switch the database of every user of the shared connection; choose the database "
                    + "in the URI (redis://host/2), or use endpoint.dedicated()";
            case HELLO, AUTH -> "would change the protocol or user of every user of the shared connection; put them "
                    + "in the URI (user, password, protocol), or use endpoint.dedicated()";
            case RESET, QUIT, CLIENT_REPLY_ON, CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP -> "would reset or silence the "
                    + "shared connection for everyone; use endpoint.dedicated() (or close the endpoint)";
            default -> null;
        };
    }
}
