package io.taintwatch.alerts.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slowloris-style clients for server tests: connections that send the start of a request and then trickle header
 * bytes without ever finishing it, or send nothing at all. Each runs on a virtual thread for a bounded time and notes
 * when the server closes it.
 */
public final class SlowClients implements AutoCloseable {
    /** One connection; {@link #closedByServer()} turns true when a read sees the end of the stream or the connection fails. */
    public static final class Client {
        final Socket socket;
        final AtomicBoolean closedByServer = new AtomicBoolean();

        Client(Socket socket) {
            this.socket = socket;
        }

        public boolean closedByServer() {
            return closedByServer.get();
        }
    }

    private final List<Client> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    /** {@code n} connections that send a request line and then one header byte every {@code everyMs}, for at most a minute. */
    public List<Client> trickle(int port, int n, long everyMs) throws IOException {
        List<Client> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Client c = open(port);
            out.add(c);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    OutputStream o = c.socket.getOutputStream();
                    InputStream in = c.socket.getInputStream();
                    o.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    long until = System.nanoTime() + 60_000_000_000L;
                    while (!stop && System.nanoTime() < until) {
                        o.write('a');
                        o.flush();
                        try {
                            if (in.read() < 0) {
                                c.closedByServer.set(true);
                                return;
                            }
                        } catch (SocketTimeoutException nothingYet) {
                            // the server has not answered or closed: keep trickling
                        }
                        Thread.sleep(everyMs);
                    }
                } catch (IOException e) {
                    c.closedByServer.set(!stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return out;
    }

    /** {@code n} connections that send nothing. */
    public List<Client> silent(int port, int n) throws IOException {
        List<Client> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(open(port));
        }
        return out;
    }

    private Client open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20);
        Client c = new Client(s);
        clients.add(c);
        return c;
    }

    /** Sends a whole {@code GET path} on a new connection and reads the first line of the answer, or null when closed unanswered. */
    public static String statusLine(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            InputStream in = s.getInputStream();
            for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            return line.isEmpty() ? null : line.toString();
        } catch (java.net.SocketException reset) {
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        stop = true;
        for (Thread t : threads) {
            t.join(5_000);
        }
        for (Client c : clients) {
            c.socket.close();
        }
    }
}
