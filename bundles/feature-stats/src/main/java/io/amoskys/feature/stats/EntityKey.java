package io.amoskys.feature.stats;

import java.util.Objects;

/**
 * The key of an {@link EntityTable} entry: up to three strings (an entity alone, or a space and an
 * entity with an optional detail), kept in the entry itself and chained through its bucket of a
 * {@link KeyIndex}, so a lookup compares the caller's strings without building a key.
 */
class EntityKey {
    final String space;
    final String entity;
    final String detail;
    final int hash;
    /** Where the key sits in its {@link KeyIndex}: {@link #hash}, or a keyed hash once the index is hardened. */
    int slotHash;
    EntityKey nextInBucket;

    EntityKey(String space, String entity, String detail) {
        this.space = space;
        this.entity = entity;
        this.detail = detail;
        this.hash = hash(space, entity, detail);
        this.slotHash = hash;
    }

    static int hash(String space, String entity, String detail) {
        return (space.hashCode() * 31 + Objects.hashCode(entity)) * 31 + Objects.hashCode(detail);
    }

    final boolean is(int hash, String space, String entity, String detail) {
        return this.hash == hash && this.space.equals(space) && Objects.equals(this.entity, entity)
                && Objects.equals(this.detail, detail);
    }

    /** The parts joined with '|', as stages spelled their keys. */
    @Override
    public final String toString() {
        return entity == null ? space : detail == null ? space + "|" + entity : space + "|" + entity + "|" + detail;
    }
}
