package io.strata.plugin.objstore.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.strata.api.objstore.Bucket;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemObjstorePluginTest {
    @TempDir
    Path temporaryDirectory;

    @Test
    void serviceLoaderFindsThePluginAndItOffersTheFilesystemBucket() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();
        Plugin plugin = plugins.stream().filter(p -> p.name().equals("objstore-filesystem")).findFirst().orElseThrow();
        assertInstanceOf(FilesystemObjstorePlugin.class, plugin);
        assertEquals(1, plugin.factories().size());
        Factory<?> factory = plugin.factories().get(0);
        assertEquals(Bucket.class, factory.kind());
        assertEquals("filesystem", factory.type());
    }

    @Test
    void createsABucketFromTheObjectStorageBlock() throws Exception {
        Path directory = temporaryDirectory.resolve("bucket");
        Config block = ConfigFactory.parseString("type = filesystem, filesystem.directory = \"" + directory + "\"");
        try (Bucket bucket = create(block)) {
            bucket.upload("x/y", new ByteArrayInputStream("z".getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals("z", Files.readString(directory.resolve("x/y")));
    }

    @Test
    void createsABucketFromItsOwnBlock() throws Exception {
        Path directory = temporaryDirectory.resolve("own");
        try (Bucket bucket = create(ConfigValueFactory.fromAnyRef(directory.toString()).atKey("directory"))) {
            assertTrue(bucket.name().contains(directory.toString()), bucket.name());
        }
    }

    @Test
    void referenceConfDocumentsTheDirectoryWithItsDefault() {
        Config reference = ConfigFactory.parseResources(FilesystemObjstorePlugin.class.getClassLoader(), "reference.conf");
        assertEquals("./data/bucket", reference.getString("strata.objstore.filesystem.directory"));
    }

    @Test
    void anEmptyDirectoryNamesTheKey() {
        Config block = ConfigFactory.parseString("type = filesystem, filesystem.directory = \"  \"", 
                com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("strata.conf"));
        ConfigException error = assertThrows(ConfigException.BadValue.class, () -> create(block));
        assertTrue(error.getMessage().contains("filesystem.directory"), error.getMessage());
        assertTrue(error.getMessage().contains("strata.conf"), error.getMessage());
    }

    @Test
    void aMissingDirectoryNamesTheKey() {
        Config block = ConfigFactory.parseString("type = filesystem, filesystem {}");
        ConfigException error = assertThrows(ConfigException.Missing.class, () -> create(block));
        assertTrue(error.getMessage().contains("filesystem.directory"), error.getMessage());
    }

    private Bucket create(Config config) throws Exception {
        Factory<?> factory = new FilesystemObjstorePlugin().factories().get(0);
        return (Bucket) factory.create(new FakePluginContext(config, temporaryDirectory));
    }
}
