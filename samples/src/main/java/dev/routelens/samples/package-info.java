/**
 * Sample documents for routing analysis: reading, validating and selecting them.
 *
 * <p>{@link dev.routelens.samples.SampleReader} reads JSON Lines, CSV, {@code <label>.txt}, protein
 * FASTA, {@code .smi} and molecule {@code .tsv} files, or a directory of them, into a
 * {@link dev.routelens.samples.SampleSet}. Every record is validated; a bad one becomes a
 * {@link dev.routelens.samples.SampleError} (file, line, id, reason) while the rest are kept:
 * empty text, invalid UTF-8 (each line is decoded on its own), control characters other than
 * \n \t \r, a line over 1,000,000 characters, a SMILES string CDK cannot parse, a protein with letters
 * outside ACDEFGHIKLMNPQRSTVWY+BZXUO (upper-cased, whitespace removed), a duplicate id (the first
 * wins), an unknown kind and malformed JSON. A missing or unreadable source throws
 * {@link dev.routelens.samples.SampleSourceException}. {@link dev.routelens.samples.ErrorsCsv} writes the
 * errors out.
 *
 * <p>{@link dev.routelens.samples.DefaultSamples} reads the shipped Figure 1 set (100 documents in each of
 * mathematics, physics, chemistry, biology, molecules and proteins) and
 * {@link dev.routelens.samples.SharedCorpus} the real corpus beside the repository.
 * {@link dev.routelens.samples.SampleSelection} keeps chosen labels and draws n per class reproducibly.
 *
 * <p>{@link dev.routelens.samples.CorpusSplit} is the held-out split for training and evaluation on the
 * shared corpus: within each label (each paper label including {@code other}, molecules, proteins),
 * samples are ordered by the SHA-256 of their id and the first max(20, ceil(25%)) of them are held out
 * (all of them when the label has fewer than 20). Models are trained on the rest and evaluated on the
 * held-out part.
 */
package dev.routelens.samples;
