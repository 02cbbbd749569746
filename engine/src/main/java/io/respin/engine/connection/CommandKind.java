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
        for (CommandKind k : values()) {
            if (k != PLAIN && !k.name().startsWith("CLIENT_") && k.name().equals(n)) {
                return k;
            }
        }
        return PLAIN;
    }
}
