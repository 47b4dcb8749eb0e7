package io.strata.plugin.query;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One call to each healthy endpoint that serves an API, in parallel, under one deadline, as the
 * metadata and exemplar views make them.
 */
final class EndpointCalls {
    private final Supplier<List<Endpoint>> endpoints;
    private final ExecutorService executor;
    private final long timeoutMillis;

    EndpointCalls(Supplier<List<Endpoint>> endpoints, ExecutorService executor, long timeoutMillis) {
        this.endpoints = endpoints;
        this.executor = executor;
        this.timeoutMillis = timeoutMillis;
    }

    /** The call to make to one endpoint's API. */
    @FunctionalInterface
    interface Call<A, T> {
        T apply(A api) throws Exception;
    }

    /**
     * The answers of the endpoints whose {@code api} is not null that answered within the timeout,
     * in endpoint order. An endpoint that failed or did not answer adds a warning naming it and
     * {@code what} to {@code warnings} under partial response, and otherwise ends the call with an
     * {@link ProxyQueryable.EndpointException}.
     */
    <A, T> List<T> each(Function<Endpoint, A> api, Call<A, T> call, boolean partialResponse, String what, List<String> warnings) {
        List<Endpoint> targets = new ArrayList<>();
        for (Endpoint e : endpoints.get()) {
            if (api.apply(e) != null) {
                targets.add(e);
            }
        }
        List<Future<T>> futures = new ArrayList<>(targets.size());
        for (Endpoint e : targets) {
            futures.add(executor.submit(() -> call.apply(api.apply(e))));
        }
        List<T> out = new ArrayList<>(targets.size());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProxyQueryable.EndpointException("interrupted while asking for " + what, e);
                } catch (ExecutionException | TimeoutException e) {
                    futures.get(i).cancel(true);
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    String message = "endpoint " + targets.get(i).address() + ": " + what + ": "
                            + (cause instanceof TimeoutException ? "timed out after " + timeoutMillis + "ms"
                            : cause.getMessage() == null ? cause.toString() : cause.getMessage());
                    if (!partialResponse) {
                        throw new ProxyQueryable.EndpointException(message, cause);
                    }
                    warnings.add(message);
                }
            }
        } finally {
            for (Future<T> f : futures) {
                f.cancel(true);
            }
        }
        return out;
    }
}
