// Figure 1 from JShell: ./routelens jshell cli/src/main/jshell/figure1-example.jsh
var out = System.getProperty("routelens.out", "out/jshell");
var perClass = Integer.getInteger("routelens.perClass", 100);
var model = RouteLens.load();                                          // 1. SciDFM-nano (or RouteLens.load("path/to/SciDFM"))
var samples = RouteLens.perClass(RouteLens.samples(), perClass, 42);   // 2. the Figure 1 set
var docs = RouteLens.tokenize(model, samples);
var routing = RouteLens.capture(model, docs);                          // 3. gate logits, summed per document
var choices = RouteLens.expertChoice(model, docs, routing);            // 4. E_T: 26 layers x 8 experts
var embedding = RouteLens.tsne(choices, 42);                           // 5. t-SNE to 3-D
var quality = RouteLens.quality(choices, embedding);
RouteLens.save(choices, embedding, out);                               // 6-7. figure1.png/svg, CSVs, metrics.json
System.out.printf("silhouette %.3f, kNN %.3f -> %s%n", quality.silhouetteHighEuclidean(), quality.knnAccuracyHigh(), out);
// An ablation: knock out expert 5 of layer 3 and see each class's NLL move.
var ablation = RouteLens.ablate(model, docs, 3, 5, "reroute");
ablation.classes().forEach(c -> System.out.printf("%-12s %+.4f%n", c.label(), c.delta()));
model.close();
/exit
