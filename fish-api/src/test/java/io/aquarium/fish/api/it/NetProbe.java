package io.aquarium.fish.api.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A TCP probe run as its own JVM inside a network namespace ({@link NetnsLabIT}), or in the test JVM.
 * {@code listen ADDRESS PORT}: prints {@code listening} once bound, then accepts and closes
 * connections until killed. {@code connect ADDRESS PORT TIMEOUT_MS}: exits with the {@link Connect}
 * outcome's code.
 */
final class NetProbe {
    /** What one connect attempt did, and its exit code. */
    enum Connect {
        CONNECTED(0), TIMED_OUT(2), FAILED(3);

        final int code;

        Connect(int code) {
            this.code = code;
        }

        static Connect ofCode(int code) {
            for (Connect c : values()) {
                if (c.code == code) {
                    return c;
                }
            }
            return FAILED;
        }
    }

    private NetProbe() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 3 && "listen".equals(args[0])) {
            listen(args[1], Integer.parseInt(args[2]));
        } else if (args.length == 4 && "connect".equals(args[0])) {
            Connect outcome = connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            System.out.println(outcome);
            System.exit(outcome.code);
        } else {
            System.err.println("usage: listen ADDRESS PORT | connect ADDRESS PORT TIMEOUT_MS");
            System.exit(64);
        }
    }

    static Connect connect(String address, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), timeoutMillis);
            return Connect.CONNECTED;
        } catch (SocketTimeoutException e) {
            return Connect.TIMED_OUT;
        } catch (IOException e) {
            return Connect.FAILED;
        }
    }

    private static void listen(String address, int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(address, port));
            System.out.println("listening");
            System.out.flush();
            while (true) {
                server.accept().close();
            }
        }
    }
}
