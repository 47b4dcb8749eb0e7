package io.strata.api.plugin;

/**
 * Creates one kind of component ({@link Role}, {@code Bucket}, {@code Discovery}, ...) under a
 * type name that configuration selects with {@code type = <name>}.
 */
public interface Factory<T> {
    /** The kind of component, for example {@code Bucket.class}. */
    Class<T> kind();

    /** The type name configuration uses, for example {@code filesystem}. */
    String type();

    /** Creates a component from its configuration subtree and the kernel's services. */
    T create(PluginContext context) throws Exception;

    /** A factory from a lambda. */
    static <T> Factory<T> of(Class<T> kind, String type, Creator<T> creator) {
        return new Factory<>() {
            @Override
            public Class<T> kind() {
                return kind;
            }

            @Override
            public String type() {
                return type;
            }

            @Override
            public T create(PluginContext context) throws Exception {
                return creator.create(context);
            }

            @Override
            public String toString() {
                return kind.getSimpleName() + ":" + type;
            }
        };
    }

    /** The body of a factory. */
    @FunctionalInterface
    interface Creator<T> {
        T create(PluginContext context) throws Exception;
    }
}
