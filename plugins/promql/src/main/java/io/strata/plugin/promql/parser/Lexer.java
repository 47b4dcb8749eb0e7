package io.strata.plugin.promql.parser;

import java.util.ArrayList;
import java.util.List;

/** Splits a PromQL expression into tokens; comments ({@code # ...}) are dropped. */
final class Lexer {
    private final String input;
    private int pos;

    Lexer(String input) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        this.input = input;
    }

    List<Token> tokens() {
        List<Token> out = new ArrayList<>();
        while (true) {
            Token t = next();
            out.add(t);
            if (t.kind() == Token.Kind.EOF) {
                return out;
            }
        }
    }

    private ParseException error(int at, String message) {
        return new ParseException(at, at, message, input);
    }

    private Token next() {
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (c == '#') {
                while (pos < input.length() && input.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else {
                break;
            }
        }
        int start = pos;
        if (pos >= input.length()) {
            return new Token(Token.Kind.EOF, "", start, start);
        }
        char c = input.charAt(pos);
        switch (c) {
            case '(':
                pos++;
                return new Token(Token.Kind.LEFT_PAREN, "(", start, pos);
            case ')':
                pos++;
                return new Token(Token.Kind.RIGHT_PAREN, ")", start, pos);
            case '{':
                pos++;
                return new Token(Token.Kind.LEFT_BRACE, "{", start, pos);
            case '}':
                pos++;
                return new Token(Token.Kind.RIGHT_BRACE, "}", start, pos);
            case '[':
                pos++;
                return new Token(Token.Kind.LEFT_BRACKET, "[", start, pos);
            case ']':
                pos++;
                return new Token(Token.Kind.RIGHT_BRACKET, "]", start, pos);
            case ',':
                pos++;
                return new Token(Token.Kind.COMMA, ",", start, pos);
            case ':':
                pos++;
                return new Token(Token.Kind.COLON, ":", start, pos);
            case '@':
                pos++;
                return new Token(Token.Kind.AT, "@", start, pos);
            case '+', '-', '*', '/', '%', '^':
                pos++;
                return new Token(Token.Kind.OPERATOR, String.valueOf(c), start, pos);
            case '=':
                if (peek(1) == '=') {
                    pos += 2;
                    return new Token(Token.Kind.OPERATOR, "==", start, pos);
                }
                if (peek(1) == '~') {
                    pos += 2;
                    return new Token(Token.Kind.MATCH_REGEX, "=~", start, pos);
                }
                pos++;
                return new Token(Token.Kind.ASSIGN, "=", start, pos);
            case '!':
                if (peek(1) == '=') {
                    pos += 2;
                    return new Token(Token.Kind.MATCH_NOT_EQUAL, "!=", start, pos);
                }
                if (peek(1) == '~') {
                    pos += 2;
                    return new Token(Token.Kind.MATCH_NOT_REGEX, "!~", start, pos);
                }
                throw error(start, "unexpected character after '!': " + describeChar(peek(1)));
            case '<', '>':
                if (peek(1) == '=') {
                    pos += 2;
                    return new Token(Token.Kind.OPERATOR, c + "=", start, pos);
                }
                pos++;
                return new Token(Token.Kind.OPERATOR, String.valueOf(c), start, pos);
            case '"', '\'':
                return quotedString(c);
            case '`':
                return rawString();
            default:
                break;
        }
        if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
            return numberOrDuration();
        }
        if (isIdentifierStart(c)) {
            while (pos < input.length() && isIdentifierPart(input.charAt(pos))) {
                pos++;
            }
            return new Token(Token.Kind.IDENTIFIER, input.substring(start, pos), start, pos);
        }
        throw error(start, "unexpected character: " + describeChar(c));
    }

    private static String describeChar(char c) {
        return c == 0 ? "end of input" : "'" + c + "'";
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < input.length() ? input.charAt(i) : 0;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    private Token numberOrDuration() {
        int start = pos;
        int durationEnd = scanDuration(pos);
        if (durationEnd > 0) {
            pos = durationEnd;
            return new Token(Token.Kind.DURATION, input.substring(start, pos), start, pos);
        }
        if (input.charAt(pos) == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
            pos += 2;
            while (pos < input.length() && Character.digit(input.charAt(pos), 16) >= 0) {
                pos++;
            }
        } else {
            while (pos < input.length() && isDigit(input.charAt(pos))) {
                pos++;
            }
            if (pos < input.length() && input.charAt(pos) == '.') {
                pos++;
                while (pos < input.length() && isDigit(input.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < input.length() && (input.charAt(pos) == 'e' || input.charAt(pos) == 'E')) {
                int save = pos;
                pos++;
                if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos < input.length() && isDigit(input.charAt(pos))) {
                    while (pos < input.length() && isDigit(input.charAt(pos))) {
                        pos++;
                    }
                } else {
                    pos = save;
                }
            }
        }
        if (pos < input.length() && isIdentifierPart(input.charAt(pos)) && input.charAt(pos) != ':') {
            throw error(start, "bad number or duration syntax: \"" + input.substring(start, pos + 1) + "\"");
        }
        return new Token(Token.Kind.NUMBER, input.substring(start, pos), start, pos);
    }

    /** End of a duration starting at {@code from} (digits followed by units, repeated), or -1. */
    private int scanDuration(int from) {
        int i = from;
        boolean any = false;
        while (i < input.length() && isDigit(input.charAt(i))) {
            int j = i;
            while (j < input.length() && isDigit(input.charAt(j))) {
                j++;
            }
            if (j >= input.length()) {
                break;
            }
            char u = input.charAt(j);
            int unitEnd;
            if (u == 'm' && j + 1 < input.length() && input.charAt(j + 1) == 's') {
                unitEnd = j + 2;
            } else if ("smhdwy".indexOf(u) >= 0) {
                unitEnd = j + 1;
            } else {
                break;
            }
            i = unitEnd;
            any = true;
        }
        if (!any) {
            return -1;
        }
        if (i < input.length() && isIdentifierPart(input.charAt(i)) && input.charAt(i) != ':') {
            return -1;
        }
        return i;
    }

    private Token quotedString(char quote) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= input.length()) {
                throw error(start, "unterminated quoted string");
            }
            char c = input.charAt(pos);
            if (c == quote) {
                pos++;
                break;
            }
            if (c == '\n') {
                throw error(start, "unterminated quoted string");
            }
            if (c == '\\') {
                pos++;
                if (pos >= input.length()) {
                    throw error(start, "unterminated quoted string");
                }
                char e = input.charAt(pos++);
                switch (e) {
                    case 'a' -> sb.append('\u0007');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'v' -> sb.append('\u000b');
                    case '\\' -> sb.append('\\');
                    case '"', '\'' -> {
                        if (e != quote) {
                            throw error(pos - 2, "unknown escape sequence " + e);
                        }
                        sb.append(e);
                    }
                    case 'x' -> sb.append(utf8Byte(hex(2)));
                    case 'u' -> sb.appendCodePoint(hex(4));
                    case 'U' -> sb.appendCodePoint(hex(8));
                    default -> {
                        if (e >= '0' && e <= '7') {
                            if (pos + 2 > input.length()) {
                                throw error(pos, "bad octal escape");
                            }
                            int v = Integer.parseInt(input.substring(pos - 1, pos + 2), 8);
                            pos += 2;
                            sb.append(utf8Byte(v));
                        } else {
                            throw error(pos - 2, "unknown escape sequence " + e);
                        }
                    }
                }
            } else {
                sb.append(c);
                pos++;
            }
        }
        return new Token(Token.Kind.STRING, decodeBytes(sb), start, pos);
    }

    /** Byte escapes are collected as private-use chars and decoded as UTF-8 at the end. */
    private static char utf8Byte(int b) {
        return (char) (0xF700 + b);
    }

    private static String decodeBytes(StringBuilder sb) {
        boolean hasBytes = false;
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (c >= 0xF700 && c <= 0xF7FF) {
                hasBytes = true;
                break;
            }
        }
        if (!hasBytes) {
            return sb.toString();
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (c >= 0xF700 && c <= 0xF7FF) {
                out.write(c - 0xF700);
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private int hex(int digits) {
        if (pos + digits > input.length()) {
            throw error(pos, "bad hex escape");
        }
        try {
            int v = Integer.parseUnsignedInt(input.substring(pos, pos + digits), 16);
            pos += digits;
            return v;
        } catch (NumberFormatException e) {
            throw error(pos, "bad hex escape");
        }
    }

    private Token rawString() {
        int start = pos;
        int close = input.indexOf('`', pos + 1);
        if (close < 0) {
            throw error(start, "unterminated raw string");
        }
        pos = close + 1;
        return new Token(Token.Kind.STRING, input.substring(start + 1, close), start, pos);
    }
}
