package io.respin.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * One parse of one {@link RedisUri}, by index into the text so that every part it complains about is known by
 * where it stands. Two spans may hold a password and are never shown:
 * <pre>
 *   redis://user:pa/ss@host:6379/0?timeout=2s&amp;password=x&amp;y
 *           └── info ──┘                               └ tail ┘
 *   info: from "://" (or the start, when there is no known scheme) to the LAST '@' of the URI, however the
 *         rest is shaped: a password with a raw '/', '@' or '?' moves the host, not the end of this span
 *   tail: from the value of the first "password=" option to the end (a raw '&amp;' would split it into more pairs)
 * </pre>
 * A message shows the URI with both spans as {@code ***}, and quotes a part of it only when the part lies outside
 * them; otherwise it says the part is not shown and how to percent-encode a password.
 */
final class RedisUriParser {

    private static final String HIDDEN = "(not shown: it may be part of a password)";
    private static final String ENCODE_HINT = "; if a user name or password holds '@', '/', '?' or '%', "
            + "percent-encode them as %40, %2F, %3F and %25";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String uri;
    private final int len;
    private final int schemeEnd;
    private final String scheme;
    private final int start;
    private final int queryFrom;
    private final int infoFrom;
    private final int infoTo;
    private final int tailFrom;
    private final RedisUri.Builder b = new RedisUri.Builder();
    private boolean hid;

    RedisUriParser(String uri) {
        this.uri = uri;
        this.len = uri.length();
        this.schemeEnd = uri.indexOf("://");
        this.scheme = schemeEnd < 0 ? null : uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        boolean known = scheme != null && switch (scheme) {
            case "redis", "rediss", "unix", "redis-socket" -> true;
            default -> false;
        };
        this.start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        this.queryFrom = uri.indexOf('?', start);
        // without a scheme we know, "u:pw://x@h" or "pw@h" may have a password before "://"
        this.infoFrom = known ? start : 0;
        int lastAt = uri.lastIndexOf('@');
        this.infoTo = Math.max(lastAt, infoFrom);
        this.tailFrom = queryPasswordFrom();
    }

    private int queryPasswordFrom() {
        for (int i = queryFrom + 1; queryFrom >= 0 && i < len; ) {
            int amp = end(uri.indexOf('&', i));
            int eq = indexOf('=', i, amp);
            if (eq >= 0 && uri.substring(i, eq).equalsIgnoreCase("password")) {
                return eq + 1;
            }
            i = amp + 1;
        }
        return len;
    }

    RedisUri parse() {
        if (schemeEnd < 0) {
            throw bad("no scheme; expected redis://host:port, rediss://host:port or unix:///path");
        }
        switch (scheme) {
            case "redis", "rediss" -> {
                b.tls = scheme.equals("rediss");
                tcp();
            }
            case "unix", "redis-socket" -> unix();
            default -> throw bad("unknown scheme " + quote(0, schemeEnd) + "; expected redis, rediss or unix");
        }
        if (queryFrom >= 0) {
            options();
        }
        return b.build();
    }

    // ------------------------------------------------------------------ parts

    private void tcp() {
        int end = end(queryFrom);
        int at = uri.lastIndexOf('@', end - 1);
        int hostFrom = start;
        if (at >= start) {
            userInfo(start, at);
            hostFrom = at + 1;
        } else if (queryFrom >= 0 && rawQuestionMarkInUserInfo()) {
            throw bad("the user info seems to hold a raw '?': percent-encode '?' in a user name or password as %3F");
        }
        int slash = indexOf('/', hostFrom, end);
        hostAndPort(hostFrom, slash < 0 ? end : slash);
        if (slash >= 0 && slash + 1 < end) {
            b.database = database(slash + 1, end);
        }
    }

    /** No '@' before the first '?', one after it, and no '=' between: "u:p?w@host", not "h?password=p@ss". */
    private boolean rawQuestionMarkInUserInfo() {
        int at = uri.lastIndexOf('@');
        return at > queryFrom && indexOf('=', queryFrom, at) < 0;
    }

    private void hostAndPort(int from, int to) {
        String host;
        int portFrom = -1;
        if (from < to && uri.charAt(from) == '[') {
            int close = indexOf(']', from, to);
            if (close < 0) {
                throw bad("unclosed '[' in IPv6 host");
            }
            host = uri.substring(from + 1, close);
            if (close + 1 < to) {
                if (uri.charAt(close + 1) != ':') {
                    throw bad("expected ':port' after ']'");
                }
                portFrom = close + 2;
            }
        } else {
            int colon = uri.lastIndexOf(':', to - 1);
            colon = colon < from ? -1 : colon;
            host = uri.substring(from, colon < 0 ? to : colon);
            portFrom = colon < 0 ? -1 : colon + 1;
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (!Character.isLetterOrDigit(c) && "-._:".indexOf(c) < 0) {
                    throw bad("host " + quote(from, from + host.length()) + " holds a character no host name has");
                }
            }
        }
        b.host = host.isEmpty() ? "localhost" : host;
        if (portFrom >= 0 && portFrom < to) {
            int port;
            try {
                port = Integer.parseInt(uri.substring(portFrom, to));
            } catch (NumberFormatException e) {
                throw bad("port " + quote(portFrom, to) + " is not a number");
            }
            if (port < 1 || port > 65535) {
                throw bad("port must be 1..65535, got " + quote(portFrom, to));
            }
            b.port = port;
        }
    }

    private void unix() {
        int end = end(queryFrom);
        int pathFrom = start;
        if (start < end && uri.charAt(start) != '/') {
            int at = uri.indexOf("@/", start);
            if (at >= 0 && at < end) {
                userInfo(start, at);
                pathFrom = at + 1;
            }
        }
        if (pathFrom >= end || uri.charAt(pathFrom) != '/') {
            throw bad("a unix socket needs an absolute path: unix:///path/to/redis.sock");
        }
        String path = decode(pathFrom, end, "the socket path");
        try {
            b.socketPath = Path.of(path);
        } catch (InvalidPathException e) {
            throw bad("the socket path " + quote(pathFrom, end) + " is not a path here: " + e.getReason());
        }
    }

    /** {@code [user]:password} or a lone password (as redis-cli and Lettuce read {@code redis://secret@host}). */
    private void userInfo(int from, int to) {
        if (indexOf('@', from, to) >= 0) {
            throw bad("more than one '@' before the host: percent-encode '@' in a user name or password as %40");
        }
        if (indexOf('/', from, to) >= 0) {
            throw bad("a raw '/' in the user info: percent-encode '/' in a user name or password as %2F");
        }
        if (from == to) {
            return;
        }
        int colon = indexOf(':', from, to);
        if (colon < 0) {
            b.password = decode(from, to, "the password");
        } else {
            b.user = colon == from ? null : decode(from, colon, "the user name");
            b.password = decode(colon + 1, to, "the password");
        }
    }

    private void options() {
        for (int i = queryFrom + 1; i < len; ) {
            int amp = end(uri.indexOf('&', i));
            if (amp > i) {
                int eq = indexOf('=', i, amp);
                option(i, eq < 0 ? amp : eq, eq < 0 ? amp : eq + 1, amp);
            }
            i = amp + 1;
        }
    }

    private void option(int keyFrom, int keyTo, int valueFrom, int valueTo) {
        String key = uri.substring(keyFrom, keyTo).toLowerCase(Locale.ROOT);
        String value = decode(valueFrom, valueTo,
                key.equals("password") ? "the password" : "the value of option " + quote(keyFrom, keyTo));
        switch (key) {
            case "db", "database" -> b.database = database(valueFrom, valueTo);
            case "user", "username" -> b.user = value;
            case "password" -> b.password = value;
            case "timeout" -> b.timeout = duration(value, valueFrom, valueTo);
            case "clientname", "client_name", "name" -> b.clientName = value;
            case "protocol" -> {
                if (!value.equals("2") && !value.equals("3")) {
                    throw bad("protocol must be 2 or 3, got " + quote(valueFrom, valueTo));
                }
                b.protocol = Integer.parseInt(value);
            }
            case "verifypeer" -> b.verifyPeer = !value.equalsIgnoreCase("false") && !value.equals("0")
                    && !value.equalsIgnoreCase("none");
            default -> throw bad("unknown option " + quote(keyFrom, keyTo)
                    + "; known: db, user, password, timeout, clientName, protocol, verifyPeer");
        }
    }

    private int database(int from, int to) {
        int db;
        try {
            db = Integer.parseInt(decode(from, to, "the database"));
        } catch (NumberFormatException e) {
            throw bad("database " + quote(from, to) + " is not a number");
        }
        if (db < 0) {
            throw bad("database must be >= 0, got " + quote(from, to));
        }
        return db;
    }

    private Duration duration(String s, int from, int to) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw bad("timeout " + quote(from, to) + " is not a duration; write e.g. 5s, 500ms or 2m");
        }
    }

    // ------------------------------------------------------------------ percent-encoding

    /** Percent-decodes {@code [from, to)} as UTF-8; '+' stays '+'. {@code what} names the part in a message. */
    private String decode(int from, int to, String what) {
        String s = uri.substring(from, to);
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0; i < s.length(); ) {
            if (s.charAt(i) == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw bad(what + " holds a '%' that is not followed by two hex digits; write '%' itself as %25");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 3;
            } else {
                int j = s.indexOf('%', i);
                j = j < 0 ? s.length() : j;
                bytes.put(s.substring(i, j).getBytes(StandardCharsets.UTF_8));
                i = j;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(bytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw bad(what + " is not UTF-8 once percent-decoded: its %XX bytes must spell UTF-8 characters");
        }
    }

    /** The user name as it goes in a URI: RFC 3986 user info characters as they are, others as UTF-8 %XX. */
    static String encode(String s) {
        return encode(s, "-._~!$&'()*+,;=");
    }

    /** An option's value as it goes in the query: as {@link #encode(String)}, but '&amp;' and '=' as %XX too. */
    static String encodeValue(String s) {
        return encode(s, "-._~!$'()*+,;");
    }

    private static String encode(String s, String asIs) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || asIs.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ messages

    /** {@code 'part'} when {@code [from, to)} lies outside both secret spans, else a note that it is not shown. */
    private String quote(int from, int to) {
        boolean inInfo = from < infoTo && infoFrom < to;
        if (inInfo || to > tailFrom) {
            hid = true;
            return HIDDEN;
        }
        return "'" + uri.substring(from, to) + "'";
    }

    private IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("invalid Redis URI '" + redacted() + "': " + why + (hid ? ENCODE_HINT : ""));
    }

    /** The URI with both secret spans as "***". */
    String redacted() {
        StringBuilder s = new StringBuilder(len);
        int i = 0;
        if (infoTo > infoFrom) {
            s.append(uri, 0, infoFrom).append("***");
            i = infoTo;
        }
        if (tailFrom < len) {
            if (tailFrom >= i) {
                s.append(uri, i, tailFrom).append("***");
            }
            i = len;
        }
        return s.append(uri, i, len).toString();
    }

    private int end(int index) {
        return index < 0 ? len : index;
    }

    private int indexOf(char c, int from, int to) {
        int i = uri.indexOf(c, from);
        return i >= 0 && i < to ? i : -1;
    }
}
