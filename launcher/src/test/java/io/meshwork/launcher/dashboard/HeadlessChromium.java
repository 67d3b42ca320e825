package io.meshwork.launcher.dashboard;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium and chromedriver for browser tests. {@code .ci/run} installs both and sets
 * {@code MESH_REQUIRE_BROWSER}, so in CI a missing browser fails the test; on a developer machine
 * without them the test is skipped, saying what to install.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    static ChromeDriverService service() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = CHROMIUM + " and " + CHROMEDRIVER + " are needed (apt-get install -y chromium chromium-driver)";
        if (System.getenv("MESH_REQUIRE_BROWSER") != null && !present) {
            throw new IllegalStateException("MESH_REQUIRE_BROWSER is set but " + missing);
        }
        Assumptions.assumeTrue(present, "browser test skipped: " + missing);
        // An explicit driver keeps Selenium Manager from looking for (or downloading) one.
        return new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString())).build();
    }

    static ChromeOptions options() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1024");
        return options;
    }
}
