package dev.routelens.viz.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page tests' console check is not vacuous: a page that logs and throws is caught. */
class ChromiumTest {

    @Test
    void consoleMessagesAndUncaughtErrorsAreSeen(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("bad.html");
        Files.writeString(page, "<html><body><script>console.error('boom'); undefinedFn();</script></body></html>");
        List<String> errors = Chromium.require(dir).dumpDom(page, "", 400, 300).consoleErrors();
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("boom") && errors.get(1).contains("Uncaught ReferenceError"), errors.toString());
    }
}
