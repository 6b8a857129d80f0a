package io.taintwatch.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for the embedded broker and for servers started in tests. */
public final class LoopbackPorts {
    private LoopbackPorts() {}

    /**
     * {@code n} distinct free loopback ports: the sockets are held open together, because a port taken and released one
     * at a time can be handed out again at once (the embedded broker then refused to start: "two listeners on the same
     * port"). Another process can still take one before it is bound again; that is not guarded against.
     */
    public static int[] free(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // a listening socket that never accepted: nothing to recover
                    }
                }
            }
        }
    }
}
