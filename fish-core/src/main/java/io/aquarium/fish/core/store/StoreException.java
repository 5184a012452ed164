package io.aquarium.fish.core.store;

/**
 * A store failure the caller cannot act on (I/O, a broken database, a bug). Its message names the
 * operation but never carries stored values: those may be secrets (password hashes, resource
 * credentials), and database driver messages often quote them.
 */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }
}
