package io.respin.engine.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.engine.resp.Reply;
import io.respin.engine.resp.ReplyAssembler;
import io.respin.engine.resp.RespParser;
import io.respin.engine.sentinel.SentinelDiscovery.Step;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guidelines' steps, driven by hand-written answers; the real sentinels are SentinelRedisTest's. */
class SentinelDiscoveryTest {

    private static final HostAndPort S1 = new HostAndPort("10.0.0.1", 26379);
    private static final HostAndPort S2 = new HostAndPort("10.0.0.2", 26379);
    private static final HostAndPort S3 = new HostAndPort("10.0.0.3", 26379);
    private static final HostAndPort P = new HostAndPort("10.0.1.1", 6379);

    @Test
    void theFirstSentinelThatAnswersMovesToTheFrontAndTheRoleIsChecked() {
        SentinelDiscovery d = new SentinelDiscovery("mymaster", List.of(S1, S2, S3));
        assertEquals(new Step.Ask(S1), d.start());
        assertEquals(new Step.Ask(S2), d.noAnswer(S1, "connection refused"));
        assertEquals(new Step.Verify(P, S2), d.answered(S2, P));
        assertEquals(List.of(S2, S1, S3), d.sentinels(), "the one that answered is asked first next time");
        assertEquals(new Step.Found(P, S2), d.verified(role("*3\r\n$6\r\nmaster\r\n:100\r\n*0\r\n")));
        assertEquals(new Step.Ask(S2), d.start());
    }

    @Test
    void aNamedNodeThatIsAReplicaMeansWaitAndStartOver() {
        SentinelDiscovery d = new SentinelDiscovery("mymaster", List.of(S1));
        d.start();
        d.answered(S1, P);
        Step s = d.verified(role("*5\r\n$5\r\nslave\r\n$8\r\n10.0.1.2\r\n:6379\r\n$9\r\nconnected\r\n:42\r\n"));
        assertInstanceOf(Step.Retry.class, s, "a failover in progress: ask again in a moment");
        for (int i = 1; i < SentinelDiscovery.MAX_ROLE_ROUNDS - 1; i++) {
            d.start();
            d.answered(S1, P);
            assertInstanceOf(Step.Retry.class, d.verified(role("*5\r\n$5\r\nslave\r\n$8\r\n10.0.1.2\r\n:6379\r\n"
                    + "$9\r\nconnected\r\n:42\r\n")));
        }
        d.start();
        d.answered(S1, P);
        Step.Failed f = assertInstanceOf(Step.Failed.class,
                d.verified(role("*5\r\n$5\r\nslave\r\n$8\r\n10.0.1.2\r\n:6379\r\n$9\r\nconnected\r\n:42\r\n")));
        assertTrue(f.why().contains("replica of 10.0.1.2:6379") && f.why().contains("10.0.1.1:6379"), f.why());
    }

    @Test
    void aSentinelThatNamesAReplicaIsPassedOverForOneThatNamesThePrimary() {
        HostAndPort replica = new HostAndPort("10.0.1.2", 6379);
        SentinelDiscovery d = new SentinelDiscovery("mymaster", List.of(S1, S2, S3));
        d.start();
        assertEquals(new Step.Verify(replica, S1), d.answered(S1, replica));
        assertEquals(new Step.Ask(S2), d.verified(role("*5\r\n$5\r\nslave\r\n$8\r\n10.0.1.1\r\n:6379\r\n"
                + "$9\r\nconnected\r\n:42\r\n")), "S1 has not seen the failover: S2 is asked in the same round");
        assertEquals(new Step.Verify(P, S2), d.answered(S2, P));
        assertEquals(new Step.Found(P, S2), d.verified(role("*3\r\n$6\r\nmaster\r\n:100\r\n*0\r\n")));
        assertEquals(S2, d.sentinels().get(0));
    }

    @Test
    void aWrongMasterNameIsSaidSo() {
        SentinelDiscovery d = new SentinelDiscovery("nosuch", List.of(S1, S2));
        d.start();
        d.answered(S1, null);
        Step.Failed f = assertInstanceOf(Step.Failed.class, d.answered(S2, null));
        assertTrue(f.why().contains("no sentinel knows a master named 'nosuch'") && f.why().contains("URI"), f.why());
    }

    @Test
    void allSentinelsDownIsAClearErrorNamingEach() {
        SentinelDiscovery d = new SentinelDiscovery("mymaster", List.of(S1, S2));
        d.start();
        d.noAnswer(S1, "connection refused");
        Step.Failed f = assertInstanceOf(Step.Failed.class, d.noAnswer(S2, "timed out after 200 ms"));
        assertTrue(f.why().contains(S1 + " (connection refused)") && f.why().contains(S2 + " (timed out after 200 ms)")
                && f.why().contains("sentinel addresses"), f.why());
    }

    @Test
    void anUnreachablePrimaryAsksTheNextSentinel() {
        SentinelDiscovery d = new SentinelDiscovery("mymaster", List.of(S1, S2, S3));
        d.start();
        d.answered(S1, P);
        assertEquals(new Step.Ask(S2), d.unreachable(P, "connection refused"));
    }

    @Test
    void learnedSentinelsJoinTheEndAndSeedsStay() {
        SentinelDiscovery d = new SentinelDiscovery("mymaster", List.of(S1));
        d.learned(List.of(S2, S1, S3));
        assertEquals(List.of(S1, S2, S3), d.sentinels());
    }

    @Test
    void switchMasterPayloads() {
        SentinelReplies.SwitchMaster m = SentinelReplies.switchMaster("mymaster 10.0.1.1 6379 10.0.1.2 6380");
        assertEquals(new SentinelReplies.SwitchMaster("mymaster", P, new HostAndPort("10.0.1.2", 6380)), m);
        assertNull(SentinelReplies.switchMaster("mymaster 10.0.1.1"));
        assertNull(SentinelReplies.switchMaster("mymaster a b c d"));
        assertEquals(new SentinelReplies.SwitchMaster("mymaster", P, new HostAndPort("10.0.1.2", 6380)),
                SentinelReplies.promotedReplica("slave 10.0.1.2:6380 10.0.1.2 6380 @ mymaster 10.0.1.1 6379"));
        assertNull(SentinelReplies.promotedReplica("master mymaster 10.0.1.1 6379"));
    }

    @Test
    void downEventPayloadsAndTheConfigEpoch() {
        assertEquals(new SentinelReplies.MasterEvent("mymaster", P),
                SentinelReplies.masterEvent("master mymaster 10.0.1.1 6379"));
        assertEquals(new SentinelReplies.MasterEvent("mymaster", P),
                SentinelReplies.masterEvent("master mymaster 10.0.1.1 6379 #quorum 2/2"));
        assertNull(SentinelReplies.masterEvent("slave 10.0.1.2:6380 10.0.1.2 6380 @ mymaster 10.0.1.1 6379"));
        assertNull(SentinelReplies.masterEvent("sentinel abc 10.0.1.3 26379 @ mymaster 10.0.1.1 6379"));
        assertNull(SentinelReplies.masterEvent("master mymaster 10.0.1.1 port"));
        assertEquals(7, SentinelReplies.configEpoch(reply(
                "*4\r\n$4\r\nname\r\n$8\r\nmymaster\r\n$12\r\nconfig-epoch\r\n$1\r\n7\r\n")));
        assertEquals(3, SentinelReplies.configEpoch(reply("%1\r\n$12\r\nconfig-epoch\r\n:3\r\n")));
        assertEquals(-1, SentinelReplies.configEpoch(reply("*2\r\n$4\r\nname\r\n$1\r\nm\r\n")));
    }

    @Test
    void aNullAddressMeansAnUnknownMaster() {
        assertNull(SentinelReplies.masterAddress(reply("*-1\r\n")));
        assertNull(SentinelReplies.masterAddress(reply("_\r\n")));
        assertEquals(P, SentinelReplies.masterAddress(reply("*2\r\n$8\r\n10.0.1.1\r\n$4\r\n6379\r\n")));
    }

    static Role role(String resp) {
        return Role.parse(reply(resp));
    }

    static Reply reply(String resp) {
        ReplyAssembler a = new ReplyAssembler();
        byte[] b = resp.getBytes(StandardCharsets.UTF_8);
        new RespParser().parse(b, 0, b.length, a);
        return a.poll();
    }
}
