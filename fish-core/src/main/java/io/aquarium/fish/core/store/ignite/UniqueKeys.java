package io.aquarium.fish.core.store.ignite;

import java.util.UUID;

/**
 * Keys of the unique-key cache, one kind per unique rule. Each text part is length-prefixed, so two
 * different tuples never make the same key whatever characters the names hold. The cache maps a key
 * to the UID of the row holding it; the row and its key are written and removed in one transaction.
 */
final class UniqueKeys {
    private UniqueKeys() {
    }

    /** Labels are unique on (name, version). */
    static String label(String name, int version) {
        return "label" + part(name) + part(Integer.toString(version));
    }

    /** One resource per application. */
    static String resource(UUID applicationUid) {
        return "resource" + part(applicationUid.toString());
    }

    /** One vote per (application, node, round). */
    static String vote(UUID applicationUid, UUID nodeUid, int round) {
        return "vote" + part(applicationUid.toString()) + part(nodeUid.toString()) + part(Integer.toString(round));
    }

    /** Service mappings are unique on (location, service, application). */
    static String serviceMapping(String locationName, String service, UUID applicationUid) {
        return "mapping" + part(locationName) + part(service) + part(applicationUid.toString());
    }

    private static String part(String text) {
        return ":" + text.length() + ":" + text;
    }
}
