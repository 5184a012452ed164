package io.aquarium.fish.api.http;

import io.aquarium.fish.api.rest.BasicAuthFilter;
import io.aquarium.fish.api.rest.ErrorMapper;
import io.aquarium.fish.api.rest.JsonBodyWriter;
import io.aquarium.fish.api.rest.QuorumGuardFilter;
import io.aquarium.fish.api.rest.RequestBodies;
import io.aquarium.fish.api.rest.TrailingSlashFilter;
import io.aquarium.fish.api.rest.v1.ApiDocumentResource;
import io.aquarium.fish.api.rest.v1.ApplicationResource;
import io.aquarium.fish.api.rest.v1.InventoryResource;
import io.aquarium.fish.api.rest.v1.LabelResource;
import io.aquarium.fish.api.rest.v1.LocationResource;
import io.aquarium.fish.api.rest.v1.NodeResource;
import io.aquarium.fish.api.rest.v1.ProfilingResource;
import io.aquarium.fish.api.rest.v1.UserResource;
import io.aquarium.fish.api.rest.wire.WireJson;
import io.aquarium.fish.core.runtime.NodeServices;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

import java.util.List;

/** Assembles the Jersey application: resources as singletons over the node's services, filters, mappers. */
public final class RestApplication {
    private RestApplication() {
    }

    /** {@code extraComponents}: further resources or providers (e.g. the Meta API), registered as instances. */
    public static ResourceConfig create(NodeServices services, List<Object> extraComponents) {
        return create(services, extraComponents, false);
    }

    /** {@code metricsAuth}: whether {@code /metrics} needs credentials ({@code metrics_auth}). */
    public static ResourceConfig create(NodeServices services, List<Object> extraComponents, boolean metricsAuth) {
        WireJson wire = new WireJson();
        RequestBodies bodies = new RequestBodies(wire);
        ResourceConfig config = new ResourceConfig();
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(ServerProperties.BV_FEATURE_DISABLE, true);
        config.property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
        config.property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);

        config.register(new TrailingSlashFilter());
        config.register(new BasicAuthFilter(services.authenticator(), metricsAuth));
        config.register(new QuorumGuardFilter(services.nodes()));
        config.register(new JsonBodyWriter(wire));
        config.register(new ErrorMapper());

        config.register(new UserResource(services.users(), bodies));
        config.register(new LabelResource(services.labels(), bodies));
        config.register(new ApplicationResource(services.applications(), bodies));
        config.register(new InventoryResource(services.inventory()));
        config.register(new NodeResource(services.nodes()));
        config.register(new LocationResource(services.locations(), bodies));
        config.register(new ProfilingResource());
        config.register(new ApiDocumentResource(wire));
        extraComponents.forEach(config::register);
        return config;
    }
}
