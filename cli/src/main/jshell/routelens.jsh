// RouteLens JShell startup: imports and the facade. See README "From JShell".
import java.nio.file.*;
import java.util.*;
import dev.routelens.cli.RouteLens;
import dev.routelens.cli.LoadedModel;
import dev.routelens.core.*;
import dev.routelens.model.*;
import dev.routelens.probe.*;
import dev.routelens.routing.*;
import dev.routelens.embed.*;
import dev.routelens.samples.*;
System.out.println("RouteLens loaded: try  var model = RouteLens.load();");
