package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RedisUriTest {

    @Test
    void plainHostGetsTheDefaultPortAndDatabase() {
        RedisUri u = RedisUri.parse("redis://cache.internal");
        assertEquals("cache.internal", u.host());
        assertEquals(6379, u.port());
        assertEquals(0, u.database());
        assertFalse(u.tls());
        assertNull(u.user());
        assertNull(u.password());
        assertEquals(3, u.protocol());
    }

    @Test
    void everythingAtOnce() {
        RedisUri u = RedisUri.parse("rediss://app:s3cret@cache:6380/2?timeout=2s&clientName=orders&protocol=2");
        assertTrue(u.tls());
        assertEquals("app", u.user());
        assertEquals("s3cret", u.password());
        assertEquals("cache", u.host());
        assertEquals(6380, u.port());
        assertEquals(2, u.database());
        assertEquals(Duration.ofSeconds(2), u.timeout());
        assertEquals("orders", u.clientName());
        assertEquals(2, u.protocol());
        assertTrue(u.verifyPeer());
    }

    @Test
    void toStringShowsEverySettingButThePassword() {
        RedisUri u = RedisUri.parse("rediss://app:s3cret@cache:6380/2?timeout=2s&clientName=or%26ders%3D1&protocol=2"
                + "&verifyPeer=false");
        assertEquals("rediss://app:***@cache:6380/2?timeout=2000ms&clientName=or%26ders%3D1&protocol=2&verifyPeer=false",
                u.toString());
        assertEquals(u, RedisUri.parse(u.toString().replace("***", "s3cret")), "re-parses to the same settings");
        assertEquals("unix:///tmp/r.sock?db=1&timeout=500ms&clientName=n",
                RedisUri.parse("unix:///tmp/r.sock?db=1&timeout=500ms&clientName=n").toString());
        assertEquals("redis://h:1", RedisUri.parse("redis://h:1?protocol=3&verifyPeer=true").toString(),
                "defaults are not repeated");
    }

    @Test
    void aSemicolonBeforeThePortIsRefusedNamingTheUri() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisUri.parse("redis://127.0.0.1;6399"));
        assertTrue(e.getMessage().contains("'redis://127.0.0.1;6399'"), e.getMessage());
        assertTrue(e.getMessage().contains("host '127.0.0.1;6399' holds a character no host name has"), e.getMessage());
        IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class,
                () -> RedisUri.parse("redis://u:hunter2@127.0.0.1;6399/1"));
        assertTrue(hidden.getMessage().contains("'redis://***@127.0.0.1;6399/1'"), hidden.getMessage());
        assertFalse(hidden.getMessage().contains("hunter2"), hidden.getMessage());
    }

    @Test
    void aLoneUserInfoIsThePasswordAsInRedisCli() {
        RedisUri u = RedisUri.parse("redis://secret@localhost:6390");
        assertNull(u.user());
        assertEquals("secret", u.password());
        RedisUri v = RedisUri.parse("redis://:secret@localhost:6390");
        assertNull(v.user());
        assertEquals("secret", v.password());
    }

    @Test
    void credentialsArePercentDecodedAndHiddenInToString() {
        RedisUri u = RedisUri.parse("redis://us%3Aer:p%40ss%2Fw+rd@h:1/0");
        assertEquals("us:er", u.user());
        assertEquals("p@ss/w+rd", u.password());
        assertFalse(u.toString().contains("p@ss"), u.toString());
        assertEquals("redis://us%3Aer:***@h:1", u.toString()); // re-parses to the same user
    }

    @Test
    void queryOptionsOverrideAndTimeoutsTakeUnits() {
        assertEquals(Duration.ofMillis(500), RedisUri.parse("redis://h?timeout=500ms").timeout());
        assertEquals(Duration.ofMillis(1500), RedisUri.parse("redis://h?timeout=1.5s").timeout());
        assertEquals(Duration.ofMinutes(2), RedisUri.parse("redis://h?timeout=2m").timeout());
        assertEquals(Duration.ofMillis(250), RedisUri.parse("redis://h?timeout=250").timeout());
        assertEquals(5, RedisUri.parse("redis://h/1?db=5").database());
        assertEquals("bob", RedisUri.parse("redis://h?user=bob&password=x").user());
        assertFalse(RedisUri.parse("rediss://h?verifyPeer=false").verifyPeer());
    }

    @Test
    void ipv6HostsGoInBrackets() {
        RedisUri u = RedisUri.parse("redis://[::1]:6380/3");
        assertEquals("::1", u.host());
        assertEquals(6380, u.port());
        assertEquals(3, u.database());
        assertEquals("[::1]:6380", u.address());
    }

    @Test
    void unixSockets() {
        RedisUri u = RedisUri.parse("unix:///var/run/redis.sock?db=1&password=pw");
        assertTrue(u.isUnixSocket());
        assertEquals(Path.of("/var/run/redis.sock"), u.socketPath());
        assertEquals(1, u.database());
        assertEquals("pw", u.password());
        assertEquals(-1, u.port());
        assertEquals(Path.of("/tmp/r.sock"), RedisUri.parse("redis-socket:///tmp/r.sock").socketPath());
        assertEquals("unix:///var/run/redis.sock?db=1", RedisUri.parse("unix:///var/run/redis.sock?db=1").toString());
    }

    @Test
    void mistakesAreNamed() {
        assertMessage("localhost:6379", "no scheme");
        assertMessage("http://h", "unknown scheme 'http'");
        assertMessage("redis://h:port", "port 'port' is not a number");
        assertMessage("redis://h:70000", "port must be 1..65535");
        assertMessage("redis://h/x", "database 'x' is not a number");
        assertMessage("redis://h?timeout=soon", "timeout 'soon' is not a duration");
        assertMessage("redis://h?protocol=4", "protocol must be 2 or 3");
        assertMessage("redis://h?colour=red", "unknown option 'colour'");
        assertMessage("unix://relative.sock", "absolute path");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisUri.parse("redis://u:hunter2@h:x"));
        assertFalse(e.getMessage().contains("hunter2"), "the password stays out of messages: " + e.getMessage());
    }

    // ------------------------------------------------------------------ passwords (issue 14 item 6)

    /** URI, user, password: every shape a password comes in, written as redis-cli and Lettuce users write it. */
    static Stream<Arguments> validCredentials() {
        return Stream.of(
                Arguments.of("redis://lonepw123@host:6379", null, "lonepw123"),
                Arguments.of("redis://:lonepw123@host", null, "lonepw123"),
                Arguments.of("redis://app:s3cr3tPw@host:6380/2", "app", "s3cr3tPw"),
                Arguments.of("redis://app:Sl4shy%2Fpw@host:6379", "app", "Sl4shy/pw"),
                Arguments.of("redis://app:at%40Zpw9@host", "app", "at@Zpw9"),
                Arguments.of("redis://app:co:lon:pw9@host", "app", "co:lon:pw9"),
                Arguments.of("redis://app:co%3Alon9@host", "app", "co:lon9"),
                Arguments.of("redis://us%3Aer%40x:Us3rpw@host", "us:er@x", "Us3rpw"),
                Arguments.of("redis://app:100%25sure@host", "app", "100%sure"),
                Arguments.of("redis://app:sp ace pw@host", "app", "sp ace pw"),
                Arguments.of("redis://app:sp%20ace9@host", "app", "sp ace9"),
                Arguments.of("redis://app:p+lus9@host", "app", "p+lus9"),
                Arguments.of("redis://app:q%3Fmark%23hash@host", "app", "q?mark#hash"),
                Arguments.of("redis://app:hash#pw9@host", "app", "hash#pw9"),
                Arguments.of("redis://app:p\u00e4ssw\u00f6rd\u20ac@host", "app", "p\u00e4ssw\u00f6rd\u20ac"),
                Arguments.of("redis://app:p%C3%A4ss%E2%82%AC@host", "app", "p\u00e4ss\u20ac"),
                Arguments.of("redis://%C3%BCser:%F0%9F%94%91key9@host", "\u00fcser", "\ud83d\udd11key9"),
                Arguments.of("redis://h?password=qp@ss9&db=1", null, "qp@ss9"),
                Arguments.of("redis://h?user=bob&password=qp%26ss9", "bob", "qp&ss9"),
                Arguments.of("rediss://app:Tl5pw@[::1]:6380/3", "app", "Tl5pw"),
                Arguments.of("unix://app:Ux5pw@/tmp/redis.sock", "app", "Ux5pw"),
                Arguments.of("unix://Ux5pw@/tmp/redis.sock?db=2", null, "Ux5pw"),
                Arguments.of("unix:///tmp/r.sock?password=Ux%2F5pw", null, "Ux/5pw"));
    }

    @ParameterizedTest
    @MethodSource("validCredentials")
    void aPasswordOfAnyShapeRoundTripsAndNeverShows(String text, String user, String password) {
        RedisUri u = RedisUri.parse(text);
        assertEquals(user, u.user(), text);
        assertEquals(password, u.password(), text);
        String written = writtenPassword(text);
        assertHidden(u.toString(), password, written);
        assertHidden(RedisEndpoint.engineSettings(u, ConnectionOptions.defaults()).toString(), password, written);
        assertHidden(u.withDatabase(1).withClientName("n").toString(), password, written);
        assertEquals(user, RedisUri.parse(u.toString()).user(), "toString re-parses: " + u);
    }

    /** URI, what the message says, secrets it must not show: malformed in every way, with the password in it. */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("redis://lonepw123@host:notaport", "port 'notaport' is not a number", List.of("lonepw123")),
                Arguments.of("redis://u:Sl4shy/pw@host:6379", "raw '/'", List.of("Sl4shy", "/pw")),
                Arguments.of("redis://u:Sl4shy/pw@host:notaport", "%2F", List.of("Sl4shy", "/pw")),
                Arguments.of("redis://u:at@Zpw9@host", "more than one '@'", List.of("at@", "Zpw9")),
                Arguments.of("redis://u:Q9x?mrk7@host:6379", "raw '?'", List.of("Q9x", "mrk7")),
                Arguments.of("redis://u:Pct%zz9@host", "two hex digits", List.of("Pct", "zz9")),
                Arguments.of("redis://u:Pct9%4@host", "two hex digits", List.of("Pct9")),
                Arguments.of("redis://u:Bad%FFutf@host", "not UTF-8", List.of("Bad", "utf")),
                Arguments.of("redis://u:Enc%40pw9@host:notaport", "is not a number", List.of("Enc%40pw9", "Enc@pw9")),
                Arguments.of("redis://Sp ace pw@host:x", "port 'x' is not a number", List.of("Sp ace pw", "ace")),
                Arguments.of("redis://u:Uni\u20acpw@host:x", "port 'x'", List.of("Uni\u20acpw", "Uni")),
                Arguments.of("redis://u:Hunter2@host:70000", "port must be 1..65535", List.of("Hunter2")),
                Arguments.of("redis://u:Hunter2@host:-1", "port must be 1..65535", List.of("Hunter2")),
                Arguments.of("redis://u:Hunter2@host/notadb", "database 'notadb' is not a number", List.of("Hunter2")),
                Arguments.of("redis://u:Hunter2@host/-3", "database must be >= 0", List.of("Hunter2")),
                Arguments.of("redis://u:Hunter2@[::1", "unclosed '['", List.of("Hunter2")),
                Arguments.of("redis://u:Hunter2@[::1]x", "expected ':port'", List.of("Hunter2")),
                Arguments.of("redis://u:Hunter2@ho st", "holds a character no host name has", List.of("Hunter2")),
                Arguments.of("redis://u:Hunter2@host?timeout=soon", "timeout 'soon'", List.of("Hunter2")),
                Arguments.of("redis://u:Hunter2@host?protocol=4", "protocol must be 2 or 3", List.of("Hunter2")),
                Arguments.of("redis://u:Hunter2@host?colour=red", "unknown option 'colour'", List.of("Hunter2")),
                Arguments.of("u:Hunter2@host:6379", "no scheme", List.of("Hunter2")),
                Arguments.of("Hunter2@host", "no scheme", List.of("Hunter2")),
                Arguments.of("http://u:Hunter2@host", "unknown scheme", List.of("Hunter2")),
                Arguments.of("Pw9x://junk@host", "unknown scheme", List.of("Pw9x", "junk")),
                Arguments.of("redis://h?password=Qs3cr&Et7z&db=1", "unknown option", List.of("Qs3cr", "Et7z")),
                Arguments.of("redis://h?password=Qs3%zz", "two hex digits", List.of("Qs3", "zz")),
                Arguments.of("redis://h?db=x&PASSWORD=Qs3cr", "database 'x'", List.of("Qs3cr")),
                Arguments.of("redis://h?password=Qs3cr&db=x", "database", List.of("Qs3cr")),
                Arguments.of("unix://u:Ux5pw@relative.sock", "absolute path", List.of("Ux5pw")),
                Arguments.of("unix://u:Ux/5pw@/tmp/s", "raw '/'", List.of("Ux", "5pw")));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void aMalformedUriIsNamedWithoutItsPassword(String text, String fragment, List<String> secrets) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisUri.parse(text));
        String m = e.getMessage();
        assertTrue(m.startsWith("invalid Redis URI '"), m);
        assertTrue(m.contains(fragment), m);
        for (String secret : secrets) {
            assertFalse(m.contains(secret), "'" + secret + "' shows in: " + m);
        }
        assertNull(e.getCause(), "a cause's message could echo the text");
    }

    @Test
    void theMessageShowsTheUriWithItsUserInfoAsStars() {
        assertEquals("invalid Redis URI 'redis://***@host:notaport': port 'notaport' is not a number",
                message("redis://lonepw123@host:notaport"));
        assertEquals("invalid Redis URI 'redis://***@host:6379': a raw '/' in the user info: percent-encode '/' in a "
                + "user name or password as %2F", message("redis://u:Sl4shy/pw@host:6379"));
        assertEquals("invalid Redis URI 'redis://***@host': more than one '@' before the host: percent-encode '@' in "
                + "a user name or password as %40", message("redis://u:at@pw@host"));
        assertEquals("invalid Redis URI 'redis://h?password=***': unknown option (not shown: it may be part of a "
                + "password); known: db, user, password, timeout, clientName, protocol, verifyPeer; if a user name or "
                + "password holds '@', '/', '?' or '%', percent-encode them as %40, %2F, %3F and %25",
                message("redis://h?password=a&b"));
    }

    private static String message(String uri) {
        return assertThrows(IllegalArgumentException.class, () -> RedisUri.parse(uri)).getMessage();
    }

    /** The password as written in the URI (percent-encoded or not), from user info or the password option. */
    private static String writtenPassword(String uri) {
        int q = uri.toLowerCase().indexOf("password=");
        if (q >= 0) {
            int amp = uri.indexOf('&', q);
            return uri.substring(q + 9, amp < 0 ? uri.length() : amp);
        }
        String info = uri.substring(uri.indexOf("://") + 3, uri.lastIndexOf('@'));
        return info.substring(info.indexOf(':') + 1);
    }

    private static void assertHidden(String shown, String password, String written) {
        assertFalse(shown.contains(password), "the password shows in: " + shown);
        assertFalse(shown.contains(written), "the password as written shows in: " + shown);
    }

    private static void assertMessage(String uri, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisUri.parse(uri));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
