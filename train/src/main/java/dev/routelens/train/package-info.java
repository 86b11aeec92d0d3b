/**
 * Training SciDFM-nano from scratch: a differentiable twin of the inference forward
 * ({@link dev.routelens.train.TrainableMoe}), AdamW with a cosine schedule, packed corpus rows,
 * resumable checkpoints in the HF layout, and held-out evaluation against a random and a unigram
 * baseline ({@link dev.routelens.train.Evaluate}). Entry point: {@link dev.routelens.train.Trainer#main}.
 */
package dev.routelens.train;
