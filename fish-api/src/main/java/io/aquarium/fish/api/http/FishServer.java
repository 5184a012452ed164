package io.aquarium.fish.api.http;

import io.aquarium.fish.core.tls.TlsMaterial;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/** The node's HTTPS listener: Jetty 12 (ee10 servlet) hosting Jersey, TLS with the node certificate. */
public final class FishServer implements AutoCloseable {
    private static final int MAX_THREADS = 200;
    private static final int IDLE_TIMEOUT_MS = 60_000;

    private final Server server;
    private final ServerConnector connector;

    public FishServer(String host, int port, TlsMaterial tls, ResourceConfig application) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8);
        threads.setName("fish-http");
        this.server = new Server(threads);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(new String(tls.keyStorePassword()));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        // Clients reach nodes by IP or by names the certificate may not list; do not reject on SNI.
        http.addCustomizer(new SecureRequestCustomizer(false));

        this.connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("jersey", new ServletContainer(application)), "/*");
        context.setErrorHandler(new JsonErrorHandler());
        server.setHandler(context);
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(5_000);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The bound port (the real one when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Unable to stop the HTTP server", e);
        }
    }
}
