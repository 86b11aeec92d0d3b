package dev.routelens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The adaptive default: one thread per core the load leaves idle, at least one, at most one per core. */
class TorchThreadsTest {
    @Test
    void theLoadTakesCoresAway() {
        assertEquals(2, TorchThreads.forLoad(2, 0.0), "idle: one per core, PyTorch's own default");
        assertEquals(2, TorchThreads.forLoad(2, 0.4));
        assertEquals(1, TorchThreads.forLoad(2, 1.0), "one core busy: one thread");
        assertEquals(1, TorchThreads.forLoad(2, 7.6), "never below one");
        assertEquals(13, TorchThreads.forLoad(16, 2.6));
        assertNull(TorchThreads.forLoad(4, -1), "no load average: PyTorch's default");
    }

    @Test
    void theDefaultIsDecidedOncePerJvm() {
        assertEquals(TorchThreads.adaptiveDefault(), TorchThreads.adaptiveDefault());
        assertEquals(3, TorchThreads.resolve(3));
        assertThrows(IllegalArgumentException.class, () -> TorchThreads.resolve(0));
    }
}
