package io.aquarium.fish.api.rpc;

import aquarium.v2.ApplicationOuterClass;
import aquarium.v2.LabelOuterClass;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;

import java.util.Map;

/**
 * Our states and labels as the v2 objects a Subscribe stream carries. Labels go to every subscriber,
 * so they never carry a definition's credentials.
 */
final class SubscribeMessages {
    private SubscribeMessages() {
    }

    static ApplicationOuterClass.ApplicationState state(ApplicationState state) {
        return ApplicationOuterClass.ApplicationState.newBuilder()
                .setUid(state.uid().toString())
                .setCreatedAt(ProtoTime.of(state.createdAt()))
                .setApplicationUid(state.applicationUid().toString())
                .setStatus(status(state.status()))
                .setDescription(state.description())
                .build();
    }

    /** v2 has no RECALLED: a recalled application never got a resource and is gone, as DEALLOCATED says. */
    static ApplicationOuterClass.ApplicationState.Status status(ApplicationStatus status) {
        return switch (status) {
            case NEW -> ApplicationOuterClass.ApplicationState.Status.NEW;
            case ELECTED -> ApplicationOuterClass.ApplicationState.Status.ELECTED;
            case ALLOCATED -> ApplicationOuterClass.ApplicationState.Status.ALLOCATED;
            case DEALLOCATE -> ApplicationOuterClass.ApplicationState.Status.DEALLOCATE;
            case RECALLED, DEALLOCATED -> ApplicationOuterClass.ApplicationState.Status.DEALLOCATED;
            case ERROR -> ApplicationOuterClass.ApplicationState.Status.ERROR;
        };
    }

    /** Our labels are admin-made and immutable: created_at is also updated_at, and they never expire. */
    static LabelOuterClass.Label label(Label label) {
        LabelOuterClass.Label.Builder out = LabelOuterClass.Label.newBuilder()
                .setUid(label.uid().toString())
                .setCreatedAt(ProtoTime.of(label.createdAt()))
                .setUpdatedAt(ProtoTime.of(label.createdAt()))
                .setName(label.name())
                .setVersion(label.version())
                .setMetadata(JsonStruct.of(label.metadata()));
        for (LabelDefinition definition : label.withoutAuthentication().definitions()) {
            out.addDefinitions(LabelOuterClass.LabelDefinition.newBuilder()
                    .setDriver(definition.driver())
                    .setOptions(JsonStruct.of(definition.options()))
                    .setResources(resources(definition.resources())));
        }
        return out.build();
    }

    private static LabelOuterClass.Resources resources(Resources r) {
        LabelOuterClass.Resources.Builder out = LabelOuterClass.Resources.newBuilder()
                .setCpu(r.cpu())
                .setRam(r.ram())
                .addAllNodeFilter(r.nodeFilter())
                .setMultitenancy(r.multitenancy())
                .setCpuOverbook(r.cpuOverbook())
                .setRamOverbook(r.ramOverbook());
        if (!r.network().isEmpty()) {
            out.setNetwork(r.network());
        }
        if (!r.lifetime().isEmpty()) {
            out.setLifetime(r.lifetime());
        }
        for (Map.Entry<String, ResourcesDisk> disk : r.disks().entrySet()) {
            ResourcesDisk d = disk.getValue();
            LabelOuterClass.ResourcesDisk.Builder db = LabelOuterClass.ResourcesDisk.newBuilder()
                    .setSize(d.size()).setReuse(d.reuse());
            if (!d.type().isEmpty()) {
                db.setType(d.type());
            }
            if (!d.label().isEmpty()) {
                db.setLabel(d.label());
            }
            if (d.cloneOf() != null && !d.cloneOf().isEmpty()) {
                db.setClone(d.cloneOf());
            }
            out.putDisks(disk.getKey(), db.build());
        }
        return out.build();
    }
}
