package io.meshwork.edge.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.edge.MqttSessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HiveMqFoldersTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutADataDirectoryHiveMqKeepsSessionsInMemoryInItsTempFolder() throws Exception {
        try (HiveMqFolders folders = HiveMqFolders.create("us-east-1")) {
            folders.writeConfig("127.0.0.1", 1883, 1024);
            String xml = Files.readString(folders.config.resolve("config.xml"));
            assertThat(xml).contains("<persistence><mode>in-memory</mode></persistence>")
                    .contains("<queued-messages><max-queue-size>1000</max-queue-size><strategy>discard</strategy></queued-messages>");
            assertThat(folders.data).startsWith(folders.root);
        }
    }

    @Test
    void withADataDirectoryHiveMqKeepsSessionsInFilesThereAndTheyOutliveTheListener() throws Exception {
        MqttSessionSettings settings = MqttSessionSettings.DEFAULTS.withQueue(50, MqttSessionSettings.Overflow.DISCARD_OLDEST)
                .withDataDir(dataDir.resolve("mqtt"));
        Path root;
        try (HiveMqFolders folders = HiveMqFolders.create("us-east-1", settings.dataDir())) {
            root = folders.root;
            folders.writeConfig("127.0.0.1", 1883, 1024, settings);
            String xml = Files.readString(folders.config.resolve("config.xml"));
            assertThat(xml).contains("<persistence><mode>file</mode></persistence>")
                    .contains("<max-queue-size>50</max-queue-size><strategy>discard-oldest</strategy>");
            assertThat(folders.data).isEqualTo(dataDir.resolve("mqtt"));
            Files.writeString(folders.data.resolve("session"), "kept");
        }
        assertThat(root).doesNotExist();
        assertThat(dataDir.resolve("mqtt").resolve("session")).hasContent("kept");
    }
}
