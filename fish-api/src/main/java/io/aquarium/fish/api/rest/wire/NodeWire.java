package io.aquarium.fish.api.rest.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.aquarium.fish.core.model.Node;
import io.aquarium.fish.core.cluster.MembershipView;

public record NodeWire(@JsonProperty("UID") String uid,
                       @JsonProperty("created_at") String createdAt,
                       @JsonProperty("updated_at") String updatedAt,
                       @JsonProperty("name") String name,
                       @JsonProperty("definition") @JsonRawValue String definition,
                       @JsonProperty("location_name") String locationName,
                       @JsonProperty("address") String address,
                       @JsonProperty("pubkey") @JsonInclude(JsonInclude.Include.NON_NULL) String pubkey) {

    /** The node with {@code definition.host.fish_cluster} describing its quorum view. */
    public static NodeWire withCluster(Node n, MembershipView cluster) {
        NodeWire plain = of(n);
        try {
            ObjectMapper mapper = new ObjectMapper();
            JsonNode parsed = mapper.readTree(plain.definition());
            ObjectNode definition = parsed instanceof
                    ObjectNode o ? o : mapper.createObjectNode();
            JsonNode host = definition.get("host");
            ObjectNode hostObject = host instanceof
                    ObjectNode h ? h : definition.putObject("host");
            ObjectNode view = hostObject.putObject("fish_cluster");
            view.put("state", cluster.state().name().toLowerCase(java.util.Locale.ROOT));
            view.put("has_quorum", cluster.hasQuorum());
            view.put("term", cluster.term());
            view.put("visible_nodes", cluster.present());
            view.put("expected_nodes", cluster.expected());
            view.put("quorum", cluster.needed());
            // The expected members, under the name this view had before they were the baseline.
            view.put("stable_topology", cluster.expected());
            cluster.members().forEach(view.putArray("members")::add);
            return new NodeWire(plain.uid(), plain.createdAt(), plain.updatedAt(), plain.name(),
                    mapper.writeValueAsString(definition), plain.locationName(), plain.address(), plain.pubkey());
        } catch (JsonProcessingException e) {
            return plain;
        }
    }

    public static NodeWire of(Node n) {
        return new NodeWire(n.uid().toString(), Times.format(n.createdAt()), Times.format(n.updatedAt()), n.name(),
                n.definition().json(), n.locationName(), n.address(), n.pubkey());
    }
}
