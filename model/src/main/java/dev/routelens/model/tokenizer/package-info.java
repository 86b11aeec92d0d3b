/**
 * Tokenizers: text, SMILES and protein inputs to the token ids a model reads.
 *
 * <p>{@link dev.routelens.model.tokenizer.Tokenizer#load} picks a SentencePiece {@code tokenizer.model}
 * (SciDFM's LlamaTokenizer layout, plus HF added tokens) or an HF {@code tokenizer.json}. Molecules and
 * proteins are tokenised SciDFM/Galactica style by {@link dev.routelens.model.tokenizer.ScienceEncoder}:
 * one token per SMILES atom or amino-acid letter, wrapped in marker tokens, never mapped to unknown.
 * Whether a BOS is put first is each tokenizer's {@link dev.routelens.model.tokenizer.BosPolicy}, read from
 * its files as HF transformers reads them ({@link dev.routelens.model.tokenizer.HfBosConvention}).
 */
package dev.routelens.model.tokenizer;
