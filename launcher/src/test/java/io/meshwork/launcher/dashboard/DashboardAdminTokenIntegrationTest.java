package io.meshwork.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneConfig;
import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard against a control plane with auth on: the admin token typed into the header goes
 * as {@code Authorization: Bearer} on the ACL API's calls, stays in the tab's sessionStorage, and
 * the ACL page lists, adds and deletes entries through {@code /v1/acls}. No Kafka: the control
 * plane alone, with its embedded PostgreSQL.
 */
@Tag("integration")
@Timeout(180)
class DashboardAdminTokenIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path keyDir;

    private static ControlPlane plane;
    private static WebDriver browser;
    private static String admin;

    @BeforeAll
    static void start() {
        SigningKeys keys = SigningKeys.loadOrCreate(keyDir);
        admin = keys.mint(new SigningKeys.Grant("ops", List.of(), List.of(), List.of("admin")), Duration.ofMinutes(10));
        browser = new ChromeDriver(HeadlessChromium.service(), HeadlessChromium.options());
        plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0), TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE),
                null, List.of(), keys.authSettings(ControlPlaneKeys.AUTH));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (plane != null) {
            plane.close();
        }
    }

    private static String text(String css) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : ''", css));
    }

    @Test
    void theAclPageWorksOnlyWithTheAdminTokenTypedIntoTheHeader() throws Exception {
        browser.get("http://127.0.0.1:" + plane.port() + "/#acls");
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#acls-message").contains("admin token"));
        assertThat(text("#token-state")).isEqualTo("no token");

        browser.findElement(By.id("admin-token")).sendKeys(admin);
        browser.findElement(By.cssSelector("#token-form button[type='submit']")).click();
        assertThat(text("#token-state")).isEqualTo("token set");
        assertThat(browser.findElement(By.id("admin-token")).getAttribute("value")).as("not left on the page").isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('meshwork.adminToken')")).isEqualTo(admin);

        browser.findElement(By.id("acl-principal")).sendKeys("dashboard-user");
        browser.findElement(By.cssSelector("#acl-effect option[value='deny']")).click();
        browser.findElement(By.id("acl-topic")).sendKeys("orders/secret/#");
        browser.findElement(By.cssSelector("#acl-form button")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#acls-table tbody").contains("dashboard-user"));
        JsonNode acls = JSON.readTree(adminGet("/v1/acls?principal=dashboard-user")).get("acls");
        assertThat(acls).hasSize(1);
        assertThat(acls.get(0).get("effect").asText()).isEqualTo("deny");
        assertThat(acls.get(0).get("topicFilter").asText()).isEqualTo("orders/secret/#");

        String id = acls.get(0).get("aclId").asText();
        browser.findElement(By.cssSelector("#acls-table tr[data-acl='" + id + "'] button[data-action='delete']")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#acls-message").equals("entry deleted"));
        assertThat(JSON.readTree(adminGet("/v1/acls")).get("acls")).isEmpty();

        browser.findElement(By.id("token-forget")).click();
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('meshwork.adminToken')")).isNull();
    }

    private static String adminGet(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
