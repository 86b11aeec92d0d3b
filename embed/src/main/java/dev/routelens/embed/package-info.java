/**
 * Low-dimensional embeddings of per-document routing features, and measures of how faithful they are.
 *
 * <p>Inputs are plain {@code double[][]} matrices {@code [N, D]} (one row per document) and, for the
 * quality measures, {@code String[]} class labels {@code [N]}. Nothing here knows about models or
 * routing: {@link dev.routelens.embed.Tsne} (Smile's exact t-SNE or our own
 * {@link dev.routelens.embed.BarnesHutTsne}), {@link dev.routelens.embed.Pca} and
 * {@link dev.routelens.embed.EmbeddingQuality} all return plain records.
 */
package dev.routelens.embed;
