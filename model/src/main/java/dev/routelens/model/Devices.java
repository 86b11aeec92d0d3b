package dev.routelens.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Picks the compute device: the GPU when DJL sees one, unless told otherwise. */
public final class Devices {
    private Devices() {
    }

    /** {@code auto}, {@code cpu} or {@code gpu}. Asking for a GPU that is not there is an error. */
    public static Device choose(String choice) {
        String c = choice == null ? "auto" : choice.toLowerCase(Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        return switch (c) {
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("--device gpu: DJL sees no GPU (engine "
                            + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()
                            + "; build with -Pcuda on a CUDA machine)");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("unknown device '" + choice + "' (expected cpu, gpu or auto)");
        };
    }

    /** The default precision for a device: F16 on the GPU, F32 on the CPU. */
    public static Precision defaultPrecision(Device device) {
        return device.isGpu() ? Precision.F16 : Precision.F32;
    }
}
