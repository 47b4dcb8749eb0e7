package io.strata.plugin.query;

import com.typesafe.config.Config;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Role;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.plugin.storeapi.EndpointInfo;
import io.strata.plugin.storeapi.ExemplarSource;
import io.strata.plugin.storeapi.MetricMetadataSource;
import io.strata.plugin.storeapi.SeriesOptions;
import io.strata.plugin.storeapi.StoreApiClient;
import java.time.Duration;
import java.util.List;

/** Offers the {@code query} role, reading StoreAPI endpoints through the storeapi plugin's client. */
public final class QueryPlugin implements Plugin {
    @Override
    public String name() {
        return "query";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(Factory.of(io.strata.api.plugin.Tool.class, "bench-query", context -> new QueryBenchTool(
                context.create(io.strata.api.dedup.Deduplicator.class, com.typesafe.config.ConfigFactory.parseMap(
                        java.util.Map.of("type", "chain"), "bench-query")),
                client -> storeApi(client, context.rootConfig().getInt("strata.query.endpoint-series-batch-size")))),
                Factory.of(Role.class, "query", context -> {
            Config c = context.config();
            Duration timeout = c.getDuration("endpoint-select-timeout");
            int maxMessage = (int) Math.min(Integer.MAX_VALUE, context.rootConfig().getMemorySize("strata.grpc.max-message-size").toBytes());
            int window = (int) Math.min(Integer.MAX_VALUE, c.getMemorySize("endpoint-flow-control-window").toBytes());
            int batch = c.getInt("endpoint-series-batch-size");
            if (batch < 0) {
                throw new com.typesafe.config.ConfigException.BadValue(c.origin(), "strata.query.endpoint-series-batch-size",
                        "expected 0 or more series per frame, got " + batch);
            }
            return new QueryRole(context, address -> storeApi(StoreApiClient.connect(address, timeout, maxMessage, window), batch));
        }));
    }

    static RemoteStore storeApi(StoreApiClient client, int seriesBatchSize) {
        return new RemoteStore() {
            /** Whether the endpoint's last Info said it removes replica labels itself. */
            private volatile boolean withoutReplicaLabels;
            private final ReplicaLabelQueryable queryable = new ReplicaLabelQueryable() {
                @Override
                public boolean removesLabelsSorted() {
                    return withoutReplicaLabels;
                }

                @Override
                public Querier querier(long minTime, long maxTime, List<String> withoutLabels, boolean abortOnPartialResponse) {
                    return client.querier(minTime, maxTime, new SeriesOptions(false, withoutLabels, abortOnPartialResponse,
                            seriesBatchSize));
                }

                @Override
                public Querier querier(long minTime, long maxTime) {
                    return client.querier(minTime, maxTime, new SeriesOptions(false, List.of(), false, seriesBatchSize));
                }
            };

            @Override
            public Info info() {
                EndpointInfo i = client.info();
                withoutReplicaLabels = i.supportsWithoutReplicaLabels();
                return new Info(i.componentType(), i.labelSets(), i.storeApi() ? i.minTime() : Long.MAX_VALUE,
                        i.storeApi() ? i.maxTime() : Long.MIN_VALUE, i.metricMetadata(), i.exemplars());
            }

            @Override
            public MetricMetadataSource metricMetadata() {
                return client::metricMetadata;
            }

            @Override
            public ExemplarSource exemplars() {
                return client::exemplars;
            }

            @Override
            public Queryable queryable() {
                return queryable;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
