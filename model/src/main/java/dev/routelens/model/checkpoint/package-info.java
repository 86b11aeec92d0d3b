/**
 * Reading, writing and validating HF safetensors checkpoints, without DJL.
 *
 * <p>{@link dev.routelens.model.checkpoint.SafetensorsFile} validates one file and reads tensors
 * block by block, widening F16/BF16 to float32 and checking the values in the same pass;
 * {@link dev.routelens.model.checkpoint.SafetensorsWriter} writes one deterministically and atomically;
 * {@link dev.routelens.model.checkpoint.Checkpoint} opens a model directory (config plus single file or
 * sharded index) and checks it against the Mixtral layout named by
 * {@link dev.routelens.model.checkpoint.MixtralNames}. Every malformed input is refused with a
 * one-line {@link dev.routelens.model.checkpoint.CheckpointException} naming the file and tensor.
 *
 * <p>The parsers are fuzzed with Jazzer by {@code CheckpointFuzzTest} (only
 * {@link dev.routelens.model.checkpoint.CheckpointException} may escape). A normal {@code mvn verify}
 * replays its seed inputs only. To fuzz one target on demand, for the {@code maxDuration} on its
 * annotation (5 minutes):
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -o -pl model test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='CheckpointFuzzTest#openSafetensors'      (or #openIndexedCheckpoint)
 * </pre>
 * The generated corpus goes to {@code model/.cifuzz-corpus/} (not committed); a crashing input is
 * written next to the seeds in {@code src/test/resources/dev/routelens/model/checkpoint/CheckpointFuzzTestInputs/}
 * and then replays in every build.
 */
package dev.routelens.model.checkpoint;
