package dev.dragon.core.tokenizer;

import java.util.regex.Pattern;

/**
 * Compiles a pattern written for Python's {@code re} (as model-tools uses it on {@code str}) so that
 * java.util.regex gives the same matches. Python's shorthand classes are Unicode-aware and differ from
 * Java's (even with {@code UNICODE_CHARACTER_CLASS}, whose {@code \w} also takes combining marks), so
 * they are rewritten into explicit classes equal to Python's on every assigned character:
 * <pre>
 * \d -> \p{Nd}          \w -> [\p{L}\p{N}_]          \s -> Python's 29 whitespace characters
 * \b, \B -> look-arounds on [\p{L}\p{N}_]             \Z -> \z          (?P&lt;n&gt; -> (?&lt;n&gt;
 * </pre>
 * Inside a character class a {@code [} or {@code &} is literal in Python, so it is escaped for Java.
 * {@code .} stops only at {@code \n} (UNIX_LINES), and {@code (?i)} folds Unicode case, as in Python.
 *
 * <p>java.util.regex looks behind by whole code points (rather than single chars) only when the
 * look-behind's own text contains a supplementary character, so every look-behind gets a group that
 * can never match but contains one ({@link #SUPPLEMENTARY_NO_OP}); without it {@code (?<=\w)} fails
 * after a character such as U+1D444.
 */
final class PythonRegex {

    static final String WORD = "\\p{L}\\p{N}_";
    static final String DIGIT = "\\p{Nd}";
    static final String SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029"
            + "\\u202F\\u205F\\u3000";
    private static final String W = "[" + WORD + "]";
    /** Never matches anything; holds U+10400 so that look-behinds see supplementary characters whole. */
    static final String SUPPLEMENTARY_NO_OP = "(?:(?!)\uD801\uDC00)?";
    private static final String BEHIND_W = "(?<=" + SUPPLEMENTARY_NO_OP + W + ")";
    private static final String NOT_BEHIND_W = "(?<!" + SUPPLEMENTARY_NO_OP + W + ")";

    private PythonRegex() {
    }

    static Pattern compile(String python) {
        return Pattern.compile(toJava(python), Pattern.UNIX_LINES | Pattern.UNICODE_CASE);
    }

    static String toJava(String python) {
        StringBuilder out = new StringBuilder(python.length() * 2);
        boolean inClass = false;
        int classStart = -1; // index in python of the first member of the current class
        for (int i = 0; i < python.length(); i++) {
            char c = python.charAt(i);
            if (c == '\\' && i + 1 < python.length()) {
                char next = python.charAt(++i);
                out.append(inClass ? inClassEscape(next) : escape(next));
            } else if (inClass) {
                if (c == ']' && i != classStart) {
                    inClass = false;
                    out.append(']');
                } else if (c == '[' || c == '&' || c == ']') {
                    out.append('\\').append(c);
                } else {
                    out.append(c);
                }
            } else if (c == '[') {
                inClass = true;
                out.append('[');
                if (i + 1 < python.length() && python.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                classStart = i + 1;
            } else if (python.startsWith("(?<=", i) || python.startsWith("(?<!", i)) {
                out.append(python, i, i + 4).append(SUPPLEMENTARY_NO_OP);
                i += 3;
            } else if (python.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 3;
            } else if (python.startsWith("(?P=", i)) {
                int close = python.indexOf(')', i);
                if (close < 0) {
                    out.append(python, i, python.length());
                    break;
                }
                out.append("\\k<").append(python, i + 4, close).append('>');
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case 'd' -> DIGIT;
            case 'D' -> "\\P{Nd}";
            case 'w' -> W;
            case 'W' -> "[^" + WORD + "]";
            case 's' -> "[" + SPACE + "]";
            case 'S' -> "[^" + SPACE + "]";
            case 'b' -> "(?:" + BEHIND_W + "(?!" + W + ")|" + NOT_BEHIND_W + "(?=" + W + "))";
            case 'B' -> "(?:" + BEHIND_W + "(?=" + W + ")|" + NOT_BEHIND_W + "(?!" + W + "))";
            case 'Z' -> "\\z";
            default -> "\\" + c;
        };
    }

    private static String inClassEscape(char c) {
        return switch (c) {
            case 'd' -> DIGIT;
            case 'D' -> "[\\P{Nd}]";
            case 'w' -> WORD;
            case 'W' -> "[^" + WORD + "]";
            case 's' -> SPACE;
            case 'S' -> "[^" + SPACE + "]";
            case 'b' -> "\\x08";
            default -> "\\" + c;
        };
    }
}
