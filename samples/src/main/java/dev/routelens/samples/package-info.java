/**
 * Sample documents for routing analysis: reading, validating and selecting them.
 *
 * <p>{@link dev.routelens.samples.SampleReader} reads JSON Lines, CSV, {@code <label>.txt}, protein
 * FASTA, {@code .smi} and molecule {@code .tsv} files, or a directory of them, into a
 * {@link dev.routelens.samples.SampleSet}. Every record is validated; a bad one becomes a
 * {@link dev.routelens.samples.SampleError} (file, line, id, reason) while the rest are kept:
 * empty text, invalid UTF-8 (each line is decoded on its own), control characters other than
 * \n \t \r (none at all in ids and labels), a line over 1,000,000 characters, a SMILES string CDK cannot
 * parse or whose atoms name no element, a protein with letters outside ACDEFGHIKLMNPQRSTVWY+BZXUO
 * (upper-cased, whitespace removed) or only nucleotide letters, a duplicate id (the first wins), an
 * unknown kind, malformed JSON (a second value on the line, a repeated field, a wrong type), and a CSV or
 * TSV row whose field count differs from its header's. No record is dropped unreported: a malformed CSV
 * record costs only itself (reading resumes on the next line), a bad header is one error counting the
 * lines not read, and a file with no records is one error on line 0. Reasons name no Java class. A
 * missing or unreadable source, or one that is not a regular file (a named pipe, a device, a broken link),
 * throws {@link dev.routelens.samples.SampleSourceException} saying what it is.
 * {@link dev.routelens.samples.ErrorsCsv} writes the errors out, and with {@code writeIfAny} only when
 * there are some, so that a message never points at a file that was not written.
 *
 * <p>{@link dev.routelens.samples.DefaultSamples} reads the shipped Figure 1 set (100 documents in each of
 * mathematics, physics, chemistry, biology, molecules and proteins) and
 * {@link dev.routelens.samples.SharedCorpus} the real corpus beside the repository.
 * {@link dev.routelens.samples.SampleSelection} keeps chosen labels and draws n per class reproducibly;
 * {@link dev.routelens.samples.SampleRequirements} says, on the counts alone and before any model work,
 * whether a set can make Figure 1 (4 documents, 2 classes, one class of 2) or any routing run.
 *
 * <p>{@link dev.routelens.samples.CorpusSplit} is the held-out split for training and evaluation on the
 * shared corpus: within each label (each paper label including {@code other}, molecules, proteins),
 * samples are ordered by the SHA-256 of their id and the first max(20, ceil(25%)) of them are held out
 * (all of them when the label has fewer than 20). Models are trained on the rest and evaluated on the
 * held-out part.
 */
package dev.routelens.samples;
