package io.respin.engine.command;

import java.util.List;

/**
 * The geo commands: GEOADD, GEODIST, GEOPOS, GEOHASH and GEOSEARCH by radius or box around a point or member.
 *
 * <pre>{@code
 * Command<Long> added = new GeoCommands<>(Codec.utf8()).geoadd("shops", 13.361389, 38.115556, "palermo");
 * }</pre>
 */
@SuppressWarnings("varargs") // member arrays are only read, never stored or exposed
public final class GeoCommands<K, V> extends Family<K, V> {

    public GeoCommands(Codec<K, V> codec) {
        super(codec);
    }

    GeoCommands(Codec<K, V> codec, java.util.function.Supplier<CommandScratch> scratch) {
        super(codec, scratch);
    }

    /** GEOADD key longitude latitude member: 1 when the member is new. */
    public Command<Long> geoadd(K key, double longitude, double latitude, V member) {
        nonNull("GEOADD", "key", key, "member", member);
        return cmd("GEOADD", w -> codec.writeValue(codec.writeKey(w.array(5).arg("GEOADD"), key).arg(longitude)
                .arg(latitude), member), integer());
    }

    /** GEODIST key a b unit ("m", "km", "mi", "ft"): null when a member is missing. */
    public Command<Double> geodist(K key, V a, V b, String unit) {
        nonNull("GEODIST", "key", key, "a", a, "b", b);
        nonNull("GEODIST", "unit", unit);
        return cmd("GEODIST", w -> codec.writeValue(codec.writeValue(codec.writeKey(w.array(5).arg("GEODIST"), key),
                a), b).arg(unit), dbl());
    }

    /** GEOPOS: [longitude, latitude] per member, null for a missing member. */
    @SafeVarargs
    public final Command<List<List<Double>>> geopos(K key, V... members) {
        nonNull("GEOPOS", "key", key);
        noNulls("GEOPOS", "members", members);
        return cmd("GEOPOS", w -> vals(codec.writeKey(w.array(2 + members.length).arg("GEOPOS"), key), members),
                Decoders.list(Decoders.list(dbl())));
    }

    @SafeVarargs
    public final Command<List<String>> geohash(K key, V... members) {
        nonNull("GEOHASH", "key", key);
        noNulls("GEOHASH", "members", members);
        return cmd("GEOHASH", w -> vals(codec.writeKey(w.array(2 + members.length).arg("GEOHASH"), key), members),
                Decoders.list(Decoders.utf8()));
    }

    /** GEOSEARCH key FROMLONLAT lon lat BYRADIUS r unit ASC: members within the radius, nearest first. */
    public Command<List<V>> geosearch(K key, double longitude, double latitude, double radius, String unit) {
        nonNull("GEOSEARCH", "key", key, "unit", unit);
        return cmd("GEOSEARCH", w -> codec.writeKey(w.array(9).arg("GEOSEARCH"), key).arg("FROMLONLAT")
                .arg(longitude).arg(latitude).arg("BYRADIUS").arg(radius).arg(unit).arg("ASC"), values());
    }

    /** GEOSEARCH key FROMMEMBER m BYBOX width height unit ASC. */
    public Command<List<V>> geosearchBox(K key, V member, double width, double height, String unit) {
        nonNull("GEOSEARCH", "key", key, "member", member, "unit", unit);
        return cmd("GEOSEARCH", w -> codec.writeValue(codec.writeKey(w.array(9).arg("GEOSEARCH"), key)
                .arg("FROMMEMBER"), member).arg("BYBOX").arg(width).arg(height).arg(unit).arg("ASC"), values());
    }
    /**
     * GEOSEARCHSTORE destination source FROMLONLAT lon lat BYRADIUS r unit ASC: stores the members found (as a
     * geo set) and returns how many; with {@code storeDist} the scores are the distances instead.
     */
    public Command<Long> geosearchstore(K destination, K source, double longitude, double latitude, double radius,
                                        String unit, boolean storeDist) {
        nonNull("GEOSEARCHSTORE", "destination", destination, "source", source, "unit", unit);
        return cmd("GEOSEARCHSTORE", w -> {
            codec.writeKey(codec.writeKey(w.array(storeDist ? 11 : 10).arg("GEOSEARCHSTORE"), destination), source)
                    .arg("FROMLONLAT").arg(longitude).arg(latitude).arg("BYRADIUS").arg(radius).arg(unit).arg("ASC");
            if (storeDist) {
                w.arg("STOREDIST");
            }
        }, integer());
    }

    /** GEORADIUS key lon lat radius unit ASC (deprecated: GEOSEARCH): members within the radius, nearest first. */
    public Command<List<V>> georadius(K key, double longitude, double latitude, double radius, String unit) {
        nonNull("GEORADIUS", "key", key, "unit", unit);
        return cmd("GEORADIUS", w -> codec.writeKey(w.array(7).arg("GEORADIUS"), key).arg(longitude).arg(latitude)
                .arg(radius).arg(unit).arg("ASC"), values());
    }

    /** GEORADIUS_RO: the read-only GEORADIUS, allowed on replicas. */
    public Command<List<V>> georadiusRo(K key, double longitude, double latitude, double radius, String unit) {
        nonNull("GEORADIUS_RO", "key", key, "unit", unit);
        return cmd("GEORADIUS_RO", w -> codec.writeKey(w.array(7).arg("GEORADIUS_RO"), key).arg(longitude)
                .arg(latitude).arg(radius).arg(unit).arg("ASC"), values());
    }

    /** GEORADIUSBYMEMBER key member radius unit ASC (deprecated: GEOSEARCH FROMMEMBER), the member included. */
    public Command<List<V>> georadiusbymember(K key, V member, double radius, String unit) {
        nonNull("GEORADIUSBYMEMBER", "key", key, "member", member, "unit", unit);
        return cmd("GEORADIUSBYMEMBER", w -> codec.writeValue(codec.writeKey(w.array(6).arg("GEORADIUSBYMEMBER"), key),
                member).arg(radius).arg(unit).arg("ASC"), values());
    }

    /** GEORADIUSBYMEMBER_RO: the read-only GEORADIUSBYMEMBER. */
    public Command<List<V>> georadiusbymemberRo(K key, V member, double radius, String unit) {
        nonNull("GEORADIUSBYMEMBER_RO", "key", key, "member", member, "unit", unit);
        return cmd("GEORADIUSBYMEMBER_RO", w -> codec.writeValue(codec.writeKey(
                w.array(6).arg("GEORADIUSBYMEMBER_RO"), key), member).arg(radius).arg(unit).arg("ASC"), values());
    }
}
