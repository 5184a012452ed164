package io.aquarium.fish.api.rpc;

import aquarium.v2.Common;
import aquarium.v2.LabelOuterClass;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.Authentication;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;
import io.aquarium.fish.core.service.LabelService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our labels as v2 {@code Label} messages and back. Labels are immutable here, so {@code updated_at}
 * is the creation time. {@code remove_at} is set only for temporary labels (version 0), which have one.
 */
final class LabelMessages {
    private LabelMessages() {
    }

    static LabelOuterClass.Label of(Label label) {
        LabelOuterClass.Label.Builder out = LabelOuterClass.Label.newBuilder()
                .setUid(label.uid().toString())
                .setCreatedAt(ProtoTime.of(label.createdAt()))
                .setUpdatedAt(ProtoTime.of(label.createdAt()))
                .setName(label.name())
                .setVersion(label.version())
                .setOwnerName(label.ownerName())
                .addAllVisibleFor(label.visibleFor())
                .setMetadata(StructJson.toStruct(label.metadata()));
        if (label.removeAt() != null) {
            out.setRemoveAt(ProtoTime.of(label.removeAt()));
        }
        label.definitions().forEach(d -> out.addDefinitions(definition(d)));
        return out.build();
    }

    /**
     * A v2 label as what our {@link LabelService} creates; its rules (name, version, definitions)
     * stay there. Refuses only what our drivers could not honour: v2's separate {@code images} list
     * (our drivers read the image from their options) and more than one slot.
     */
    static LabelService.NewLabel newLabel(LabelOuterClass.Label label) {
        List<LabelDefinition> definitions = new ArrayList<>();
        for (int i = 0; i < label.getDefinitionsCount(); i++) {
            definitions.add(definition(i, label.getDefinitions(i)));
        }
        // owner_name is not the client's to choose: the service sets the caller.
        return new LabelService.NewLabel(label.getName(), label.getVersion(), definitions,
                StructJson.toJson(label.getMetadata(), "Label: metadata"), label.getVisibleForList(),
                label.hasRemoveAt() ? ProtoTime.instant(label.getRemoveAt()) : null);
    }

    private static LabelDefinition definition(int index, LabelOuterClass.LabelDefinition def) {
        String at = "Label definition " + index + ": ";
        if (def.getImagesCount() > 0) {
            throw FishException.badRequest(at + "images are not supported by this node's drivers;"
                    + " give the image in the driver's options");
        }
        LabelOuterClass.Resources r = def.getResources();
        if (r.hasSlots() && r.getSlots() != 1) {
            throw FishException.badRequest(at + "Resources: slots other than 1 are not supported by this node");
        }
        Map<String, ResourcesDisk> disks = new LinkedHashMap<>();
        r.getDisksMap().forEach((name, d) -> disks.put(name,
                new ResourcesDisk(d.getType(), d.getLabel(), d.getSize(), d.getReuse(), d.getClone())));
        Resources resources = new Resources(r.getCpu(), r.getRam(), disks, r.getNetwork(), r.getNodeFilterList(),
                r.getMultitenancy(), r.getCpuOverbook(), r.getRamOverbook(), r.getLifetime());
        Authentication auth = def.hasAuthentication() ? new Authentication(def.getAuthentication().getUsername(),
                def.getAuthentication().getPassword(), def.getAuthentication().getKey(),
                def.getAuthentication().getPort()) : null;
        return new LabelDefinition(def.getDriver(), resources, StructJson.toJson(def.getOptions(), at + "options"),
                auth);
    }

    private static LabelOuterClass.LabelDefinition definition(LabelDefinition def) {
        LabelOuterClass.LabelDefinition.Builder out = LabelOuterClass.LabelDefinition.newBuilder()
                .setDriver(def.driver()).setResources(resources(def.resources()))
                .setOptions(StructJson.toStruct(def.options()));
        // The service has already left credentials out for callers that may not read them.
        if (def.authentication() != null) {
            Authentication a = def.authentication();
            out.setAuthentication(Common.Authentication.newBuilder().setUsername(a.username())
                    .setPassword(a.password()).setKey(a.key()).setPort(a.port()));
        }
        return out.build();
    }

    /** Optional v2 fields stay unset where ours are empty (proto3 presence), never set to "". */
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
