// Per-token routing at one layer: ./routelens jshell examples/token-routing.jsh
var text = System.getProperty("routelens.text", "The electron and the proton attract each other.");
var layer = Integer.getInteger("routelens.layer", 5);
var m = RouteLens.load();
var tokens = m.toStrTokens(text);
var cache = m.runWithCache(text, "layers." + layer + ".moe.gate", "layers." + layer + ".moe.topk");
float[][] gate = cache.get("layers." + layer + ".moe.gate").matrix();   // [tokens][experts] raw logits
int[][] topk = cache.get("layers." + layer + ".moe.topk").intMatrix();  // [tokens][k] chosen experts
System.out.println(cache);
for (int t = 0; t < tokens.size(); t++) {
    float max = Float.NEGATIVE_INFINITY;
    for (float logit : gate[t]) {
        max = Math.max(max, logit);
    }
    System.out.printf("%-14s experts %s  max logit %.3f%n", tokens.get(t), Arrays.toString(topk[t]), max);
}
m.close();
/exit
