package dev.routelens.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerLoadTest {

    @Test
    void directoryWithoutTokenizerFailsNamingIt(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(dir));
        assertEquals(dir + ": no tokenizer.model or tokenizer.json found", e.getMessage());
    }
}
