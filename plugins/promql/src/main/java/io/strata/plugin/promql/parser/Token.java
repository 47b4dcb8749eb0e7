package io.strata.plugin.promql.parser;

/** One lexical token: its kind, text (unescaped for strings) and position in the input. */
record Token(Kind kind, String text, int start, int end) {
    enum Kind {
        IDENTIFIER, NUMBER, DURATION, STRING, LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET,
        RIGHT_BRACKET, COMMA, COLON, AT, OPERATOR, ASSIGN, MATCH_NOT_EQUAL, MATCH_REGEX, MATCH_NOT_REGEX, EOF
    }

    String describe() {
        return switch (kind) {
            case EOF -> "end of input";
            case IDENTIFIER -> "identifier \"" + text + "\"";
            case NUMBER -> "number \"" + text + "\"";
            case DURATION -> "duration \"" + text + "\"";
            case STRING -> "string";
            case LEFT_PAREN -> "\"(\"";
            case RIGHT_PAREN -> "\")\"";
            case LEFT_BRACE -> "\"{\"";
            case RIGHT_BRACE -> "\"}\"";
            case LEFT_BRACKET -> "\"[\"";
            case RIGHT_BRACKET -> "\"]\"";
            case COMMA -> "\",\"";
            case COLON -> "\":\"";
            case AT -> "\"@\"";
            default -> "\"" + text + "\"";
        };
    }
}
