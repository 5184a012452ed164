package io.aquarium.fish.api.http;

import io.aquarium.fish.core.tls.TlsMaterial;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import jakarta.servlet.Servlet;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
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

import java.util.ArrayList;
import java.util.List;

/**
 * The node's HTTPS listener: Jetty 12 (ee10 servlet), TLS with the node certificate, HTTP/1.1 and
 * HTTP/2 chosen by ALPN. Jersey (REST v1, Meta API) answers everything but the v2 RPC servlet's
 * mapping; gRPC needs HTTP/2, REST clients keep HTTP/1.1.
 *
 * <p>With {@code allowH2c} the same port also takes cleartext HTTP/2 with prior knowledge (what gRPC
 * clients without a certificate send), told apart from TLS by its first bytes; cleartext HTTP/1.1 is
 * still refused, so REST never runs without TLS.
 */
public final class FishServer implements AutoCloseable {
    private static final int MAX_THREADS = 200;
    private static final int IDLE_TIMEOUT_MS = 60_000;

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param rpcMapping servlet mapping of {@code rpc} (e.g. {@code /grpc/*})
     * @param rpc        the v2 RPC servlet (asynchronous)
     * @param accessLog  log one line per request ({@link AccessLog})
     */
    public FishServer(String host, int port, TlsMaterial tls, boolean allowH2c, ResourceConfig application,
                      String rpcMapping, Servlet rpc, boolean accessLog) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8);
        threads.setName("fish-http");
        this.server = new Server(threads);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(new String(tls.keyStorePassword()));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // HTTP/2 forbids some TLS 1.2 ciphers (RFC 7540 9.2.2): prefer the ones it allows.
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        // Clients reach nodes by IP or by names the certificate may not list; do not reject on SNI.
        http.addCustomizer(new SecureRequestCustomizer(false));

        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        HTTP2ServerConnectionFactory h2 = longLivedStreams(new HTTP2ServerConnectionFactory(http));
        // gRPC clients (the v2 plugin's netty) offer only h2 and get it. Listing HTTP/1.1 first does not
        // keep other clients on it: curl and Java's HttpClient, which offer h2 first, were measured to
        // get HTTP/2 for REST v1 too (same answers; header names lower case on the wire, as HTTP/2 has
        // them). Restricting the offer in the TLS selector broke some handshakes: left for issue 17.
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(http1.getProtocol(), h2.getProtocol());
        // Clients that offer no ALPN (curl --http1.1, older tools) get HTTP/1.1 as before.
        alpn.setDefaultProtocol(http1.getProtocol());
        SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, alpn.getProtocol());
        List<ConnectionFactory> factories = new ArrayList<>();
        if (allowH2c) {
            // TLS if the client's first bytes are a TLS handshake, else the next factory: h2c only.
            factories.add(new DetectorConnectionFactory(tlsFactory));
            factories.add(longLivedStreams(new HTTP2CServerConnectionFactory(http)));
        } else {
            factories.add(tlsFactory);
        }
        factories.addAll(List.of(alpn, h2, http1));
        this.connector = new ServerConnector(server, factories.toArray(ConnectionFactory[]::new));
        connector.setName("api"); // the connector_name of its meters
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("jersey", new ServletContainer(application)), "/*");
        ServletHolder rpcHolder = new ServletHolder("rpc", rpc);
        rpcHolder.setAsyncSupported(true);
        context.addServlet(rpcHolder, rpcMapping);
        context.setErrorHandler(new JsonErrorHandler());
        server.setHandler(context);
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(5_000);
        if (accessLog) {
            server.setRequestLog(new AccessLog());
        }
    }

    /**
     * An HTTP/2 stream otherwise times out after the connector's idle time even while the client pings
     * the connection, which would cut an idle Subscribe or Connect stream every minute. The connection's
     * own idle timeout still closes connections with no stream open.
     */
    private static <F extends AbstractHTTP2ServerConnectionFactory> F longLivedStreams(F factory) {
        factory.setStreamIdleTimeout(-1);
        return factory;
    }

    /**
     * Jetty's own meters on {@code registry}: the request thread pool ({@code jetty_threads_*}) and the
     * connector's open connections and requests ({@code jetty_connections_*}; its byte counts stay 0, as
     * they would need a traffic-listening connector). Call before {@link #start}.
     */
    public void bindMetrics(MeterRegistry registry) {
        new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(registry);
        JettyConnectionMetrics.addToAllConnectors(server, registry);
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
