package io.aquarium.fish.meta;

import io.aquarium.fish.core.config.FishConfig;
import io.aquarium.fish.core.driver.Driver;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.events.FishEvent;
import io.aquarium.fish.core.metadata.BlockedVariables;
import io.aquarium.fish.core.metadata.MetadataValue;
import io.aquarium.fish.core.model.Resource;
import io.aquarium.fish.core.runtime.FishNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.Collections;
import java.util.List;

/**
 * {@code GET /meta/v1/data/} and {@code GET /meta/v1/data/{key_path}}: software inside an allocated
 * resource reads its metadata, without user credentials. A caller that sends its resource's token
 * ({@value #TOKEN_HEADER}, or {@code Authorization: Bearer}) is known by that token alone; any other
 * caller by its address (see {@link CallerResolver}). Routes are declared without the trailing slash
 * (the API strips it).
 */
@Path("meta/v1/data")
public final class MetaResource {
    static final String UNKNOWN_CLIENT = "Client IP was not found in the node Resources";
    static final String UNKNOWN_TOKEN = "Meta token is not valid for an allocated resource of this node";
    /** The header that carries a resource's {@code FISH_META_TOKEN}. */
    public static final String TOKEN_HEADER = "X-Fish-Meta-Token";
    private static final String BEARER = "Bearer";
    private static final int MAX_ECHO = 128;

    private final CallerResolver resolver;

    public MetaResource(CallerResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * The Meta API of {@code node}: its store and identity, its {@code trusted_proxies} and
     * {@code meta_networks}, the Linux ARP table; forgets cached callers on every application change.
     */
    public static MetaResource forNode(FishNode node, Clock clock) {
        FishConfig config = node.config();
        CallerResolver resolver = new CallerResolver(node.store(), node.identity().uid(), node.metaTokens(),
                resource -> runsOnTheHost(node, resource), config.trustedProxies().stream().map(Cidr::parse).toList(),
                MetaNetworks.fromConfig(config.metaNetworks(), clock), new ProcNetArp(ProcNetArp.LINUX), clock,
                CallerResolver.DEFAULT_TTL);
        node.events().subscribe(event -> {
            if (event instanceof FishEvent.ApplicationChanged) {
                resolver.invalidate();
            }
        });
        return new MetaResource(resolver);
    }

    /** Whether the driver that made {@code resource} runs it on the host; when that cannot be told, it counts as so. */
    private static boolean runsOnTheHost(FishNode node, Resource resource) {
        return node.store().label(resource.labelUid())
                .filter(label -> resource.definitionIndex() < label.definitions().size())
                .map(label -> label.definitions().get(resource.definitionIndex()).driver())
                .flatMap(node::driver).map(Driver::runsOnTheHost).orElse(true);
    }

    @GET
    public Response data(@Context HttpServletRequest request, @QueryParam("format") String format,
                         @QueryParam("prefix") String prefix) {
        Resource resource = caller(request);
        MetaFormat f = MetaFormat.parse(format);
        if (f == MetaFormat.JSON) {
            return reply(resource.metadata().json(), f); // echoed as stored, key order and number text included
        }
        return reply(resource, MetadataFormatter.render(MetadataValue.parse(resource.metadata().json()), List.of(), f,
                prefix), f);
    }

    @GET
    @Path("{key_path: .+}")
    public Response value(@Context HttpServletRequest request, @PathParam("key_path") String keyPath,
                          @QueryParam("format") String format, @QueryParam("prefix") String prefix) {
        Resource resource = caller(request);
        MetaFormat f = MetaFormat.parse(format);
        List<String> path = List.of(keyPath.split("/", -1));
        MetadataValue value = MetadataValue.parse(resource.metadata().json()).at(path)
                .orElseThrow(() -> FishException.notFound("Metadata key path not found: " + echo(keyPath)));
        return reply(resource, MetadataFormatter.render(value, path, f, prefix), f);
    }

    private Resource caller(HttpServletRequest request) {
        String token = token(request);
        if (token != null) {
            return resolver.resolveToken(token)
                    .orElseThrow(() -> new FishException(FishException.Kind.UNAUTHORIZED, UNKNOWN_TOKEN));
        }
        List<String> forwardedFor = Collections.list(request.getHeaders("X-Forwarded-For"));
        return resolver.resolve(request.getRemoteAddr(), forwardedFor, request.getHeader("X-Real-IP"))
                .orElseThrow(() -> new FishException(FishException.Kind.UNAUTHORIZED, UNKNOWN_CLIENT));
    }

    /** The token the caller sent, or null when it sent none (then its address counts). */
    static String token(HttpServletRequest request) {
        String header = request.getHeader(TOKEN_HEADER);
        if (header != null) {
            return header.trim();
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        // "Bearer" alone (an empty token, its trailing space dropped on the way) is a bad token, not none.
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && (authorization.length() == BEARER.length()
                || Character.isWhitespace(authorization.charAt(BEARER.length())))) {
            return authorization.substring(BEARER.length()).trim();
        }
        return null;
    }

    private static Response reply(Resource resource, MetadataFormatter.Rendered rendered, MetaFormat format) {
        BlockedVariables.report(resource.applicationUid(), rendered.blocked());
        return reply(rendered.body(), format);
    }

    private static Response reply(String body, MetaFormat format) {
        // Metadata may carry secrets: no cache along the way should keep it.
        return Response.ok(body, format.contentType()).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static String echo(String text) {
        return text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
    }
}
