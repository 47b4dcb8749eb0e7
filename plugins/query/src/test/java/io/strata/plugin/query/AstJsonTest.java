package io.strata.plugin.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.strata.plugin.promql.parser.Parser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The expected texts are what Prometheus's parse_query writes for the same queries (keys sorted as Go writes them). */
class AstJsonTest {
    private static String ast(String query) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            AstJson.write(g, Parser.parse(query));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A selector of the metric {@code name} without labels or modifiers. */
    private static String plain(String name) {
        return "{\"anchored\":false,\"matchers\":[{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"" + name + "\"}],\"name\":\""
                + name + "\",\"offset\":0,\"offsetExpr\":null,\"smoothed\":false,\"startOrEnd\":null,\"timestamp\":null,"
                + "\"type\":\"vectorSelector\"}";
    }

    private static String number(String val) {
        return "{\"type\":\"numberLiteral\",\"val\":\"" + val + "\"}";
    }

    private static String noFill(String card, String include, String labels, boolean on) {
        return "{\"card\":\"" + card + "\",\"fillValues\":{\"lhs\":null,\"rhs\":null},\"include\":[" + include + "],\"labels\":["
                + labels + "],\"on\":" + on + "}";
    }

    @Test
    void literals() throws IOException {
        assertEquals(number("1.5"), ast("1.5"));
        assertEquals(number("-42"), ast("-42"));
        assertEquals(number("0.0000001"), ast("1e-7"));
        assertEquals(number("1" + "0".repeat(300)), ast("1e300"));
        assertEquals(number("+Inf"), ast("Inf"));
        assertEquals(number("-Inf"), ast("-Inf"));
        assertEquals(number("NaN"), ast("NaN"));
        assertEquals(number("90"), ast("1m30s"));
        assertEquals("{\"type\":\"stringLiteral\",\"val\":\"a\\nb\"}", ast("\"a\\nb\""));
    }

    @Test
    void stringsAreEscapedAsGoEscapesThem() throws IOException {
        assertEquals("{\"type\":\"stringLiteral\",\"val\":\"\\u003ca\\u0026b\\u003e \\u2028 \\u001f \u65e5\"}",
                ast("\"<a&b> \u2028 \\x1f \u65e5\""));
    }

    @Test
    void vectorSelectorWithAtOffsetAndTheNameMatcherLast() throws IOException {
        assertEquals("{\"anchored\":false,\"matchers\":[{\"name\":\"job\",\"type\":\"=\",\"value\":\"api\"},"
                + "{\"name\":\"path\",\"type\":\"=~\",\"value\":\"/a.*\"},{\"name\":\"code\",\"type\":\"!~\",\"value\":\"5..\"},"
                + "{\"name\":\"env\",\"type\":\"!=\",\"value\":\"\"},{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"http_requests_total\"}],"
                + "\"name\":\"http_requests_total\",\"offset\":300000,\"offsetExpr\":null,\"smoothed\":false,\"startOrEnd\":null,"
                + "\"timestamp\":1609746000500,\"type\":\"vectorSelector\"}",
                ast("http_requests_total{job=\"api\",path=~\"/a.*\",code!~\"5..\",env!=\"\"} @ 1609746000.5 offset 5m"));
        assertEquals("{\"anchored\":false,\"matchers\":[{\"name\":\"__name__\",\"type\":\"=~\",\"value\":\"up|down\"}],"
                + "\"name\":\"\",\"offset\":-60000,\"offsetExpr\":null,\"smoothed\":false,\"startOrEnd\":\"start\",\"timestamp\":null,"
                + "\"type\":\"vectorSelector\"}", ast("{__name__=~\"up|down\"} offset -1m @ start()"));
        assertEquals(plain("up").replace("\"smoothed\":false", "\"smoothed\":true"), ast("up smoothed"));
    }

    @Test
    void matrixSelectorCarriesTheSelectorsFieldsAndTheRange() throws IOException {
        assertEquals("{\"args\":[{\"anchored\":true,\"matchers\":[{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"x\"}],"
                + "\"name\":\"x\",\"offset\":0,\"offsetExpr\":null,\"range\":300000,\"rangeExpr\":null,\"smoothed\":false,"
                + "\"startOrEnd\":\"end\",\"timestamp\":null,\"type\":\"matrixSelector\"}],"
                + "\"func\":{\"argTypes\":[\"matrix\"],\"name\":\"increase\",\"returnType\":\"vector\",\"variadic\":0},\"type\":\"call\"}",
                ast("increase(x[5m] @ end() anchored)"));
    }

    @Test
    void subqueries() throws IOException {
        String rate = "{\"args\":[{\"anchored\":false,\"matchers\":[{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"x\"}],"
                + "\"name\":\"x\",\"offset\":0,\"offsetExpr\":null,\"range\":60000,\"rangeExpr\":null,\"smoothed\":false,"
                + "\"startOrEnd\":null,\"timestamp\":null,\"type\":\"matrixSelector\"}],"
                + "\"func\":{\"argTypes\":[\"matrix\"],\"name\":\"rate\",\"returnType\":\"vector\",\"variadic\":0},\"type\":\"call\"}";
        assertEquals("{\"expr\":" + rate + ",\"offset\":600000,\"offsetExpr\":null,\"range\":300000,\"rangeExpr\":null,"
                + "\"startOrEnd\":null,\"step\":30000,\"stepExpr\":null,\"timestamp\":100000,\"type\":\"subquery\"}",
                ast("rate(x[1m])[5m:30s] @ 100 offset 10m"));
        assertEquals("{\"expr\":" + plain("up") + ",\"offset\":0,\"offsetExpr\":null,\"range\":3600000,\"rangeExpr\":null,"
                + "\"startOrEnd\":null,\"step\":0,\"stepExpr\":null,\"timestamp\":null,\"type\":\"subquery\"}", ast("up[1h:]"));
    }

    @Test
    void aggregations() throws IOException {
        assertEquals("{\"expr\":" + plain("x") + ",\"grouping\":[\"job\",\"instance\"],\"op\":\"topk\",\"param\":" + number("3")
                + ",\"type\":\"aggregation\",\"without\":false}", ast("topk by (job, instance) (3, x)"));
        assertEquals("{\"expr\":" + plain("x") + ",\"grouping\":[\"instance\"],\"op\":\"sum\",\"param\":null,"
                + "\"type\":\"aggregation\",\"without\":true}", ast("sum(x) without (instance)"));
        assertEquals("{\"expr\":" + plain("x") + ",\"grouping\":[],\"op\":\"count_values\",\"param\":"
                + "{\"type\":\"stringLiteral\",\"val\":\"v\"},\"type\":\"aggregation\",\"without\":false}", ast("count_values(\"v\", x)"));
    }

    @Test
    void binaryExpressionsAndVectorMatching() throws IOException {
        assertEquals("{\"bool\":true,\"lhs\":" + plain("a") + ",\"matching\":" + noFill("many-to-one", "\"instance\"", "\"job\"", true)
                + ",\"op\":\"\\u003e\",\"rhs\":" + plain("b") + ",\"type\":\"binaryExpr\"}",
                ast("a > bool on (job) group_left (instance) b"));
        assertEquals("{\"bool\":false,\"lhs\":" + plain("a") + ",\"matching\":" + noFill("one-to-many", "", "\"x\"", false)
                + ",\"op\":\"/\",\"rhs\":" + plain("b") + ",\"type\":\"binaryExpr\"}", ast("a / ignoring (x) group_right b"));
        assertEquals("{\"bool\":false,\"lhs\":" + plain("a") + ",\"matching\":" + noFill("many-to-many", "", "", false)
                + ",\"op\":\"and\",\"rhs\":" + plain("b") + ",\"type\":\"binaryExpr\"}", ast("a and b"));
        assertEquals("{\"bool\":false,\"lhs\":" + plain("a") + ",\"matching\":" + noFill("one-to-one", "", "", true)
                + ",\"op\":\"+\",\"rhs\":" + plain("b") + ",\"type\":\"binaryExpr\"}", ast("a + on () b"));
        assertEquals("{\"bool\":false,\"lhs\":" + plain("a") + ",\"matching\":null,\"op\":\"^\",\"rhs\":" + number("2")
                + ",\"type\":\"binaryExpr\"}", ast("a ^ 2"));
        assertEquals("{\"bool\":true,\"lhs\":" + number("1") + ",\"matching\":null,\"op\":\"\\u003c=\",\"rhs\":" + number("2")
                + ",\"type\":\"binaryExpr\"}", ast("1 <= bool 2"));
    }

    @Test
    void fillValuesAreNumbersAsGoWritesFloats() throws IOException {
        assertEquals("{\"bool\":false,\"lhs\":" + plain("a") + ",\"matching\":{\"card\":\"one-to-one\",\"fillValues\":"
                + "{\"lhs\":0,\"rhs\":1.5},\"include\":[],\"labels\":[],\"on\":false},\"op\":\"-\",\"rhs\":" + plain("b")
                + ",\"type\":\"binaryExpr\"}", ast("a - fill_left(0) fill_right(1.5) b"));
        assertEquals("{\"bool\":false,\"lhs\":" + plain("a") + ",\"matching\":{\"card\":\"one-to-one\",\"fillValues\":"
                + "{\"lhs\":1e-7,\"rhs\":1e-7},\"include\":[],\"labels\":[],\"on\":false},\"op\":\"*\",\"rhs\":" + plain("b")
                + ",\"type\":\"binaryExpr\"}", ast("a * fill(1e-7) b"));
    }

    @Test
    void unaryAndParenExpressions() throws IOException {
        assertEquals("{\"expr\":" + plain("x") + ",\"op\":\"-\",\"type\":\"unaryExpr\"}", ast("-x"));
        assertEquals("{\"expr\":" + plain("x") + ",\"op\":\"+\",\"type\":\"unaryExpr\"}", ast("+x"));
        assertEquals("{\"expr\":{\"expr\":" + number("1") + ",\"type\":\"parenExpr\"},\"op\":\"-\",\"type\":\"unaryExpr\"}",
                ast("-(1)"));
    }

    @Test
    void functionsWithOptionalAndRepeatedArguments() throws IOException {
        String str = "{\"type\":\"stringLiteral\",\"val\":\"%s\"}";
        assertEquals("{\"args\":[" + plain("x") + "," + String.format(str, "dst") + "," + String.format(str, ",") + ","
                + String.format(str, "a") + "," + String.format(str, "b") + "],\"func\":{\"argTypes\":[\"vector\",\"string\","
                + "\"string\",\"string\"],\"name\":\"label_join\",\"returnType\":\"vector\",\"variadic\":-1},\"type\":\"call\"}",
                ast("label_join(x, \"dst\", \",\", \"a\", \"b\")"));
        assertEquals("{\"args\":[" + plain("x") + "],\"func\":{\"argTypes\":[\"vector\",\"scalar\"],\"name\":\"round\","
                + "\"returnType\":\"vector\",\"variadic\":1},\"type\":\"call\"}", ast("round(x)"));
        assertEquals("{\"args\":[],\"func\":{\"argTypes\":[],\"name\":\"time\",\"returnType\":\"scalar\",\"variadic\":0},"
                + "\"type\":\"call\"}", ast("time()"));
    }

    @Test
    void durationExpressionsThatNeedTheQueryStep() throws IOException {
        String step = "{\"lhs\":null,\"op\":\"step\",\"rhs\":null,\"type\":\"durationExpr\",\"wrapped\":false}";
        String range = "{\"lhs\":" + "{\"lhs\":" + step + ",\"op\":\"*\",\"rhs\":{\"duration\":false,\"type\":\"numberLiteral\",\"val\":\"2\"},"
                + "\"type\":\"durationExpr\",\"wrapped\":false},\"op\":\"+\",\"rhs\":{\"duration\":true,\"type\":\"numberLiteral\","
                + "\"val\":\"1\"},\"type\":\"durationExpr\",\"wrapped\":false}";
        assertEquals("{\"anchored\":false,\"matchers\":[{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"x\"}],\"name\":\"x\","
                + "\"offset\":0,\"offsetExpr\":{\"lhs\":null,\"op\":\"-\",\"rhs\":{\"lhs\":" + step + ",\"op\":\"+\",\"rhs\":"
                + "{\"duration\":true,\"type\":\"numberLiteral\",\"val\":\"300\"},\"type\":\"durationExpr\",\"wrapped\":true},"
                + "\"type\":\"durationExpr\",\"wrapped\":false},\"range\":0,\"rangeExpr\":" + range + ",\"smoothed\":false,"
                + "\"startOrEnd\":null,\"timestamp\":null,\"type\":\"matrixSelector\"}", ast("x[step() * 2 + 1s] offset -(step() + 5m)"));
        assertEquals("{\"expr\":" + plain("x") + ",\"offset\":0,\"offsetExpr\":{\"lhs\":null,\"op\":\"-\",\"rhs\":" + step
                + ",\"type\":\"durationExpr\",\"wrapped\":false},\"range\":0,\"rangeExpr\":{\"lhs\":null,\"op\":\"range\",\"rhs\":null,"
                + "\"type\":\"durationExpr\",\"wrapped\":false},\"startOrEnd\":null,\"step\":0,\"stepExpr\":{\"lhs\":" + step
                + ",\"op\":\"min_of\",\"rhs\":{\"duration\":true,\"type\":\"numberLiteral\",\"val\":\"60\"},\"type\":\"durationExpr\","
                + "\"wrapped\":false},\"timestamp\":null,\"type\":\"subquery\"}", ast("x[range():min_of(step(), 1m)] offset -step()"));
    }
}
