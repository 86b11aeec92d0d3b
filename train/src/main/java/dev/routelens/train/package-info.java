/**
 * Training SciDFM-nano from scratch: a differentiable twin of the inference forward
 * ({@link dev.routelens.train.TrainableMoe}), AdamW with a cosine schedule, packed corpus rows,
 * resumable checkpoints in the HF layout, and held-out evaluation against a random and a unigram
 * baseline ({@link dev.routelens.train.Evaluate}). Entry points: {@link dev.routelens.train.Trainer#run}
 * and {@link dev.routelens.train.Evaluate#run}; the cli module's {@code train} and {@code evaluate} commands call them.
 */
package dev.routelens.train;
