package io.respin.engine.connection;

import io.respin.engine.resp.RespLimits;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Connection}'s handshake asks of the server, and the parser's limits.
 *
 * <pre>{@code
 * ConnectionSettings s = ConnectionSettings.builder()
 *         .protocol(3).auth("alice", "pw").clientName("orders").database(2)
 *         .tracking("BCAST", "PREFIX", "user:")
 *         .build();
 * }</pre>
 *
 * @param protocol   preferred RESP version, 3 (default) or 2; a server that rejects HELLO gets RESP2
 * @param username   ACL user, or null for the default user
 * @param password   password, or null for none
 * @param clientName CLIENT SETNAME value, or null
 * @param database   SELECT index; 0 sends no SELECT
 * @param libName    CLIENT SETINFO LIB-NAME value, or null to skip (errors from servers older than 7.2 are ignored)
 * @param libVersion CLIENT SETINFO LIB-VER value, or null to skip
 * @param tracking   arguments after {@code CLIENT TRACKING ON} (e.g. BCAST, PREFIX p, OPTIN, NOLOOP), or null
 *                   for no tracking; needs RESP3 to receive invalidations on the same connection
 * @param limits     the parser's limits
 */
public record ConnectionSettings(int protocol, String username, String password, String clientName, int database,
                                 String libName, String libVersion, List<String> tracking, RespLimits limits) {

    /** RESP3, no auth, no name, db 0, lib-name "respin", no tracking, default limits. */
    public static final ConnectionSettings DEFAULT = builder().build();

    public ConnectionSettings {
        if (protocol != 2 && protocol != 3) {
            throw new IllegalArgumentException("protocol must be 2 or 3, was " + protocol);
        }
        if (database < 0) {
            throw new IllegalArgumentException("database must be >= 0, was " + database);
        }
        if (password == null && username != null) {
            throw new IllegalArgumentException("a username needs a password (ACL users authenticate with both)");
        }
        Objects.requireNonNull(limits, "limits");
        tracking = tracking == null ? null : List.copyOf(tracking);
    }

    /** Like the record's, with the password masked: settings end up in logs. */
    @Override
    public String toString() {
        return "ConnectionSettings[protocol=" + protocol + ", username=" + username + ", password="
                + (password == null ? "null" : "***") + ", clientName=" + clientName + ", database=" + database
                + ", libName=" + libName + ", libVersion=" + libVersion + ", tracking=" + tracking + ", limits=" + limits + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * These settings without {@code CLIENT TRACKING}: for the connections of an endpoint other than its shared one
     * (dedicated, subscriber, monitor), whose reads no cache keeps. Returns this when tracking is off already.
     */
    public ConnectionSettings withoutTracking() {
        if (tracking == null) {
            return this;
        }
        Builder b = toBuilder();
        b.tracking = null;
        return b.build();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.protocol = protocol;
        b.username = username;
        b.password = password;
        b.clientName = clientName;
        b.database = database;
        b.libName = libName;
        b.libVersion = libVersion;
        b.tracking = tracking;
        b.limits = limits;
        return b;
    }

    /** Mutable builder of {@link ConnectionSettings}. */
    public static final class Builder {
        private int protocol = 3;
        private String username;
        private String password;
        private String clientName;
        private int database;
        private String libName = "respin";
        private String libVersion = "0.1.0";
        private List<String> tracking;
        private RespLimits limits = RespLimits.DEFAULT;

        Builder() {
        }

        public Builder protocol(int v) { protocol = v; return this; }

        /** Password only (the default user, or a server with {@code requirepass}). */
        public Builder password(String v) { username = null; password = v; return this; }

        /** ACL user and password. */
        public Builder auth(String user, String pass) { username = user; password = pass; return this; }

        public Builder clientName(String v) { clientName = v; return this; }

        public Builder database(int v) { database = v; return this; }

        /** CLIENT SETINFO values; nulls skip them. */
        public Builder libInfo(String name, String version) { libName = name; libVersion = version; return this; }

        /** Enables CLIENT TRACKING ON with these options (none for the default mode). */
        public Builder tracking(String... options) { tracking = List.of(options); return this; }

        public Builder limits(RespLimits v) { limits = v; return this; }

        public ConnectionSettings build() {
            return new ConnectionSettings(protocol, username, password, clientName, database, libName, libVersion,
                    tracking, limits);
        }
    }
}
