package io.strata.plugin.dedup;

import io.strata.api.dedup.Deduplicator;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import java.util.List;

/** Offers the {@code penalty} (default, as Thanos) and {@code chain} deduplicators. */
public final class DedupPlugin implements Plugin {
    @Override
    public String name() {
        return "dedup";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(
                Factory.of(Deduplicator.class, "penalty",
                        c -> new PenaltyDeduplicator(c.config().getDuration("initial-penalty").toMillis())),
                Factory.of(Deduplicator.class, "chain", c -> new ChainDeduplicator()));
    }
}
