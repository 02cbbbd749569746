package io.respin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class UnixSocketServerTest {

    @Test
    void answersPingOverAUnixDomainSocketChannel() throws IOException {
        try (RedisServer server = RedisServer.builder().unixSocket().start();
             SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(server.unixSocket()));
            ch.write(ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("+PONG\r\n", readReply(ch, 7));
        }
    }

    @Test
    void socketPermissionsFollowTheOption() throws IOException {
        try (RedisServer server = RedisServer.builder().unixSocketPerm(0770).start()) {
            assertEquals("rwxrwx---", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.unixSocket())));
            assertTrue(server.toString().contains("redis.sock"), server.toString());
        }
    }

    static String readReply(SocketChannel ch, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                break;
            }
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }
}
