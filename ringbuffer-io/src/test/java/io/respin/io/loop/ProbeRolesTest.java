package io.respin.io.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.io.IoListener;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The probe passes a link's role by ordinal: the API's IoListener.Connection must list the same roles in order. */
class ProbeRolesTest {

    @Test
    void theListenersConnectionsAreTheLinksRolesInOrder() {
        assertEquals(Arrays.stream(Link.Role.values()).map(Enum::name).toList(),
                Arrays.stream(IoListener.Connection.values()).map(Enum::name).toList());
    }
}
