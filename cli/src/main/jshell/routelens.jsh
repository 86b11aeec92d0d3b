// RouteLens JShell startup: imports and the facade. See README "From JShell".
import java.nio.file.*;
import java.util.*;
import java.util.stream.*;
import dev.routelens.study.*;
import dev.routelens.core.*;
import dev.routelens.model.*;
import dev.routelens.probe.*;
import dev.routelens.routing.*;
import dev.routelens.embed.*;
import dev.routelens.samples.*;
System.out.println("RouteLens loaded: try  var m = RouteLens.load();  m.hookNames()");
