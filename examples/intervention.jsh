// A custom intervention hook and its NLL effect: ./routelens jshell examples/intervention.jsh
var text = System.getProperty("routelens.text", "Water boils at one hundred degrees Celsius at sea level.");
var m = RouteLens.load();
var base = m.runWithHooks(text, Map.of());
// Halve every MoE layer's output: the hook returns a replacement of the same shape [N, H].
Hook halve = (tensor, site) -> tensor.mul(0.5f);
var halved = m.runWithHooks(text, Map.of("layers.*.moe.out", halve));
// Steer layer 3's router away from expert 0: its raw logit is pushed far down before the top-k.
Hook avoid0 = (tensor, site) -> {
    var bias = tensor.zerosLike();
    bias.set(new ai.djl.ndarray.index.NDIndex(":, 0"), -1e4f);
    return tensor.add(bias);
};
var steered = m.runWithHooks(text, Map.of("layers.3.moe.gate", avoid0));
System.out.printf("NLL base %.4f  moe.out halved %.4f (%+.4f)  layer 3 without expert 0 %.4f (%+.4f)%n",
        base.nll(), halved.nll(), halved.nll() - base.nll(), steered.nll(), steered.nll() - base.nll());
m.close();
/exit
