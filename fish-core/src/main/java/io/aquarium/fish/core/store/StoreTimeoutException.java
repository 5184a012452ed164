package io.aquarium.fish.core.store;

/**
 * The store did not answer within its deadline. Unlike other store failures the outcome of a write
 * is unknown: it may still complete (the store never commits it on a minority alone). A caller that
 * would undo what it did around the write (free a machine it just made) must not: it keeps both and
 * lets recovery, which reads what the store finally holds, decide.
 */
public class StoreTimeoutException extends StoreException {
    public StoreTimeoutException(String message) {
        super(message);
    }
}
