// Figure 1 from JShell: ./routelens jshell examples/figure1.jsh
var out = System.getProperty("routelens.out", "out/jshell");
var perClass = Integer.getInteger("routelens.perClass", 100);
var m = RouteLens.load();                                              // SciDFM-nano (or RouteLens.load("path/to/SciDFM", "gpu", "f16"))
var samples = RouteLens.perClass(RouteLens.samples(), perClass, 42);   // the Figure 1 set: 6 classes
var f1 = m.figure1(samples);                                           // route, E_T, 3-D t-SNE, metrics
var q = f1.quality();
System.out.printf("silhouette %.3f, kNN %.3f%n", q.silhouetteHighEuclidean(), q.knnAccuracyHigh());
f1.save(out);                                                          // the files ./routelens figure1 --out writes
System.out.println("E_T: " + f1.choices().layers().length + " MoE layers x " + f1.choices().experts() + " experts -> " + out);
// An ablation: knock out expert 5 of layer 3 and see each class's NLL move.
var a = m.ablate(samples, 3, 5, "reroute");
a.result().classes().forEach(c -> System.out.printf("%-12s %+.4f%n", c.label(), c.delta()));
m.close();
/exit
