/** The layer-streamed run's per-layer checkpoint file ({@link dev.routelens.model.io.StreamCheckpoint}); the atomic writes under it live in {@code dev.routelens.core}. */
package dev.routelens.model.io;
