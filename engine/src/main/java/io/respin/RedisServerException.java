package io.respin;

/**
 * The server answered the command with an error reply ({@code -ERR ...}, {@code -WRONGTYPE ...}, a blob error).
 * {@link #prefix()} is the error code the server put first (ERR, WRONGTYPE, MOVED, NOSCRIPT, ...), and
 * {@link #getMessage()} the whole line as sent, so the server's own words reach the user.
 *
 * <pre>{@code
 * catch (RedisServerException e) {
 *     if (e.prefix().equals("WRONGTYPE")) { ... }
 * }
 * }</pre>
 */
public class RedisServerException extends RedisException {
    private static final long serialVersionUID = 1L;
    private final String prefix;

    public RedisServerException(String serverMessage) {
        super(serverMessage);
        this.prefix = prefixOf(serverMessage);
    }

    /** The error code: the first word of the server's message if it is all upper case, else "ERR". */
    public String prefix() {
        return prefix;
    }

    static String prefixOf(String message) {
        int end = message.indexOf(' ');
        String word = end < 0 ? message : message.substring(0, end);
        if (word.isEmpty()) {
            return "ERR";
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                return "ERR";
            }
        }
        return word;
    }
}
