package dev.routelens.viz.html;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON string escapes that make the JSON safe inside an HTML {@code <script>} block: {@code < > & '} become
 * {@code \}{@code u003C} and so on, so a sample text holding {@code </script>} or {@code <!--} cannot end or
 * change the block, and U+2028/U+2029 (line terminators to older JavaScript parsers) are escaped too.
 */
final class ScriptSafeEscapes extends CharacterEscapes {
    private static final SerializedString LS = new SerializedString("\\u2028");
    private static final SerializedString PS = new SerializedString("\\u2029");
    private final int[] ascii;

    ScriptSafeEscapes() {
        ascii = standardAsciiEscapesForJSON();
        for (char c : new char[] {'<', '>', '&', '\''}) {
            ascii[c] = ESCAPE_STANDARD;
        }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return ch == 0x2028 ? LS : ch == 0x2029 ? PS : null;
    }
}
