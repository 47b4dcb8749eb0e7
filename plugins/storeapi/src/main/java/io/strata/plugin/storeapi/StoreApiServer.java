package io.strata.plugin.storeapi;

import io.grpc.BindableService;
import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkQueryable;
import io.strata.plugin.storeapi.internal.ExternalLabels;
import io.strata.plugin.storeapi.internal.InfoService;
import io.strata.plugin.storeapi.internal.ExemplarsService;
import io.strata.plugin.storeapi.internal.MetadataService;
import io.strata.plugin.storeapi.internal.ProtoConversions;
import io.strata.plugin.storeapi.internal.StoreService;
import io.strata.proto.thanos.info.InfoResponse;
import io.strata.proto.thanos.info.ExemplarsInfo;
import io.strata.proto.thanos.info.MetricMetadataInfo;
import io.strata.proto.thanos.info.StoreInfo;
import io.strata.proto.thanos.info.TSDBInfo;
import io.strata.proto.thanos.store.ZLabelSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Serves a {@link ChunkQueryable} as the Thanos StoreAPI: the {@code thanos.Store} service (Series,
 * LabelNames, LabelValues) and the {@code thanos.info.Info} service. Register both on a gRPC server,
 * for example with {@code context.grpcService(server.storeService())} and
 * {@code context.grpcService(server.infoService())}.
 *
 * <p>Series are streamed sorted by labels (UTF-8 byte order, as Go sorts), chunk bytes pass through
 * unchanged, and the external labels are added to every series (replacing series labels of the same
 * name) and decide matchers on their names, as in Thanos. {@code without_replica_labels} is supported.
 */
public final class StoreApiServer {
    /** Component types the Info service may report, as Thanos names them. */
    public static final Set<String> COMPONENT_TYPES = Set.of("query", "rule", "sidecar", "store", "receive", "debug", "parquet-gateway");

    /** The inclusive time range of a store's data, in milliseconds. */
    public record TimeRange(long minTime, long maxTime) {
        /** What Thanos reports for a store without data: a range no query overlaps. */
        public static final TimeRange EMPTY = new TimeRange(Long.MAX_VALUE, Long.MIN_VALUE);
        /** Every time. */
        public static final TimeRange ALL = new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private final ChunkQueryable source;
    private final ExternalLabels externalLabels;
    private final String componentType;
    private final Supplier<TimeRange> timeRange;
    private final StoreService storeService;
    private final InfoService infoService;
    private volatile MetadataService metadataService;
    private volatile ExemplarsService exemplarsService;

    /**
     * @param source         the series to serve
     * @param externalLabels labels added to every series; may be empty
     * @param componentType  what Info reports: one of {@link #COMPONENT_TYPES}
     * @param timeRange      the current time range of the data, asked at every Info call
     */
    public StoreApiServer(ChunkQueryable source, Labels externalLabels, String componentType, Supplier<TimeRange> timeRange) {
        this.source = Objects.requireNonNull(source, "source");
        this.externalLabels = new ExternalLabels(Objects.requireNonNull(externalLabels, "externalLabels"));
        Objects.requireNonNull(componentType, "componentType");
        if (!COMPONENT_TYPES.contains(componentType)) {
            throw new IllegalArgumentException("component type '" + componentType + "' is not one of " + COMPONENT_TYPES);
        }
        this.componentType = componentType;
        this.timeRange = Objects.requireNonNull(timeRange, "timeRange");
        this.storeService = new StoreService(source, this.externalLabels);
        this.infoService = new InfoService(this::info);
    }

    /** The {@code thanos.Store} service. */
    public BindableService storeService() {
        return storeService;
    }

    /** The {@code thanos.info.Info} service. */
    public BindableService infoService() {
        return infoService;
    }

    /**
     * Serves {@code thanos.Metadata} from {@code metadata} too (and says so in Info); call before
     * {@link #services()}.
     */
    public StoreApiServer withMetricMetadata(MetricMetadataSource metadata) {
        this.metadataService = new MetadataService(Objects.requireNonNull(metadata, "metadata"));
        return this;
    }

    /**
     * Serves {@code thanos.Exemplars} from {@code exemplars} too, their series with the external labels
     * (and says so in Info, with this server's time range); call before {@link #services()}.
     */
    public StoreApiServer withExemplars(ExemplarSource exemplars) {
        this.exemplarsService = new ExemplarsService(Objects.requireNonNull(exemplars, "exemplars"), externalLabels);
        return this;
    }

    /** The services: Store, Info, and Metadata and Exemplars when they were given sources. */
    public List<BindableService> services() {
        List<BindableService> out = new java.util.ArrayList<>(List.of(storeService, infoService));
        if (metadataService != null) {
            out.add(metadataService);
        }
        if (exemplarsService != null) {
            out.add(exemplarsService);
        }
        return List.copyOf(out);
    }

    public ChunkQueryable source() {
        return source;
    }

    public Labels externalLabels() {
        return externalLabels.labels();
    }

    /** What the Info service answers now. */
    public InfoResponse info() {
        TimeRange range = Objects.requireNonNull(timeRange.get(), "time range supplier returned null");
        ZLabelSet.Builder set = ZLabelSet.newBuilder();
        ProtoConversions.addLabels(externalLabels.labels(), set::addLabels);
        InfoResponse.Builder b = InfoResponse.newBuilder().setComponentType(componentType);
        if (!externalLabels.isEmpty()) {
            b.addLabelSets(set);
        }
        b.setStore(StoreInfo.newBuilder()
                .setMinTime(range.minTime())
                .setMaxTime(range.maxTime())
                .setSupportsSharding(false)
                .setSupportsWithoutReplicaLabels(true)
                .addTsdbInfos(TSDBInfo.newBuilder().setLabels(set).setMinTime(range.minTime()).setMaxTime(range.maxTime())));
        if (metadataService != null) {
            b.setMetricMetadata(MetricMetadataInfo.getDefaultInstance());
        }
        if (exemplarsService != null) {
            b.setExemplars(ExemplarsInfo.newBuilder().setMinTime(range.minTime()).setMaxTime(range.maxTime()));
        }
        return b.build();
    }
}
