package io.strata.kernel.tools;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.strata.api.objstore.Bucket;
import io.strata.api.plugin.PluginContext;
import io.strata.api.plugin.Tool;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code strata tools bucket ls|cat ...}: looks into the configured bucket (or the one an objstore
 * YAML file describes), like {@code thanos tools bucket} does.
 */
final class BucketTool implements Tool {
    private final PluginContext context;

    BucketTool(PluginContext context) {
        this.context = context;
    }

    @Override
    public String description() {
        return "bucket ls [-r] [--objstore.config-file=FILE] [DIR] | bucket cat [--objstore.config-file=FILE] NAME";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty()) {
            err.println("usage: strata tools " + description());
            return 2;
        }
        String command = args.get(0);
        Config block = context.rootConfig().getConfig("strata.objstore");
        boolean recursive = false;
        List<String> positional = new ArrayList<>();
        for (String a : args.subList(1, args.size())) {
            if (a.equals("-r") || a.equals("--recursive")) {
                recursive = true;
            } else if (a.startsWith("--objstore.config-file=")) {
                block = block.withValue("config-file", ConfigValueFactory.fromAnyRef(a.substring(a.indexOf('=') + 1), "flag"));
            } else if (a.startsWith("-")) {
                err.println("unknown flag " + a + "; usage: strata tools " + description());
                return 2;
            } else {
                positional.add(a);
            }
        }
        try (Bucket bucket = context.create(Bucket.class, block)) {
            switch (command) {
                case "ls" -> {
                    bucket.iter(positional.isEmpty() ? "" : positional.get(0), recursive, out::println);
                    return 0;
                }
                case "cat" -> {
                    if (positional.size() != 1) {
                        err.println("usage: strata tools bucket cat NAME");
                        return 2;
                    }
                    try (InputStream in = bucket.get(positional.get(0))) {
                        in.transferTo(out);
                    }
                    return 0;
                }
                default -> {
                    err.println("unknown bucket command '" + command + "'; usage: strata tools " + description());
                    return 2;
                }
            }
        }
    }
}
