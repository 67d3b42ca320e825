package io.meshwork.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.SharedMesh;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The control plane's dashboard in a real headless chromium, on the shared embedded mesh: the
 * live map, a cut and a heal seen on it, a traced event's hops, a region's interest, and rule CRUD.
 */
@Tag("integration")
@Timeout(180)
class DashboardBrowserIntegrationTest {

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    private static final String US = "us-east-1";
    private static final String AP = "ap-southeast-1";
    private static final String US_AP = US + "|" + AP;
    /** The issue's bound: a cut shows as down within 10 s. */
    private static final Duration CUT_VISIBLE = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebDriver browser;
    private static EmbeddedMesh mesh;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void openBrowser() {
        mesh = SHARED.mesh();
        browser = new ChromeDriver(HeadlessChromium.service(), HeadlessChromium.options());
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void open(String page) {
        browser.get(mesh.controlPlaneUrl() + "/#" + page);
    }

    /**
     * The attribute ({@code null}: the text) of every element matching {@code css}, read in one
     * script: the page redraws every second, so elements found in one call may be gone by the next.
     */
    @SuppressWarnings("unchecked")
    private static List<String> read(String css, String attribute) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => arguments[1] ? e.getAttribute(arguments[1]) : e.textContent)",
                css, attribute);
    }

    private String linkState(String link) {
        List<String> states = read("#links-table tr[data-link='" + link + "']", "data-state");
        return states.isEmpty() ? "" : states.get(0);
    }

    /** Clicks the element, again if a redraw replaced it between finding and clicking. */
    private static void click(String css) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            browser.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    /** Keeps what the page looked like in target/, for a person reading a failed run. */
    private static void screenshot(String name) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Path.of("target", "dashboard-" + name + ".png");
        java.nio.file.Files.write(file, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    private int admin(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(mesh.controlPlaneUrl() + "/v1/admin/" + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void theMapShowsEveryRegionAndItsLinksUpWithTheRoutersNextHops() throws Exception {
        open("topology");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> read("#map g[data-region]", "data-region").size() == 3);
        assertThat(read("#map g[data-region] text", null)).containsExactlyInAnyOrder(US, "eu-west-1", AP);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(read("#links-table tr[data-link]", "data-state")).containsExactly("UP", "UP", "UP"));
        // The routers' own view (their link states on mesh.routes), beside the WAN's.
        assertThat(read("#links-table tr[data-link] td:nth-child(4)", null)).containsExactly("UP", "UP", "UP");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> !read("#hops-table tr[data-hop='" + US_AP + "']", "data-hop").isEmpty());
        assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("live");
        screenshot("topology");
    }

    @Test
    void aLinkCutFromTheDrillsPageShowsDownOnTheMapWithinTenSecondsAndUpAgainAfterTheHeal() throws Exception {
        open("drills");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> browser.findElement(By.id("nav-drills")).isDisplayed()
                        && !read("button[data-drill='cut|" + US_AP + "']", "data-drill").isEmpty());
        try {
            click("button[data-drill='cut|" + US_AP + "']");
            long cut = System.nanoTime();
            // The page shows the admin API's answer: the cut was made through it.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> read("#drill-message", null).get(0).contains("\"state\":\"DOWN\""));
            open("topology");
            await().atMost(CUT_VISIBLE).pollInterval(Duration.ofMillis(100)).until(() -> linkState(US_AP).equals("DOWN"));
            System.out.printf("dashboard: cut %s shown as DOWN after %d ms%n", US_AP, (System.nanoTime() - cut) / 1_000_000);
            assertThat(read("#map line[data-link='" + US_AP + "']", "class")).containsExactly("DOWN");
            assertThat(linkState(US + "|eu-west-1")).isEqualTo("UP");
            screenshot("topology-cut");
        } finally {
            assertThat(admin("links/" + US + "/" + AP + "/heal")).isEqualTo(200);
        }
        long healed = System.nanoTime();
        // Up again once both routers hear each other's heartbeats over the healed link.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> linkState(US_AP).equals("UP"));
        System.out.printf("dashboard: healed %s shown as UP after %d ms%n", US_AP, (System.nanoTime() - healed) / 1_000_000);
    }

    @Test
    void aTracedEventPublishedThroughRestShowsItsHopsOnTheTracesPage() throws Exception {
        String topic = "dashboard/traced/" + UUID.randomUUID();
        try (StreamClient subscriber = StreamClient.connect(mesh.region(AP).streamUrl())) {
            subscriber.subscribeMeshWide("dashboard/traced/#");
            String id = "dash-" + UUID.randomUUID();
            HttpResponse<String> published = new Publisher(mesh.region(US).httpUrl()).publish(Map.of("Content-Type", "application/json",
                    "ce-specversion", "1.0", "ce-type", "test.event", "ce-source", "/dashboard-test", "ce-id", id,
                    "ce-meshtopic", topic, "ce-meshtrace", "true"), "{\"n\":1}".getBytes(StandardCharsets.UTF_8), "");
            assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
            subscriber.awaitEvent(id);

            open("traces");
            // The hops reach the control plane through every region's mesh.traces: search until all four are stored.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                WebElement input = browser.findElement(By.id("trace-id"));
                input.clear();
                input.sendKeys(id);
                browser.findElement(By.id("trace-search")).click();
                return browser.findElements(By.cssSelector("#trace-hops tbody tr[data-kind='DELIVERY']")).size() == 1;
            });
            List<String> kinds = browser.findElements(By.cssSelector("#trace-hops tbody tr")).stream()
                    .map(row -> row.getAttribute("data-kind")).toList();
            assertThat(kinds.get(0)).isEqualTo("PUBLISH");
            assertThat(kinds).endsWith("ARRIVAL", "DELIVERY").contains("FORWARD");
            assertThat(browser.findElement(By.id("trace-summary")).getText()).contains(id).contains(topic)
                    .contains(kinds.size() + " hops");
            assertThat(browser.findElement(By.cssSelector("#trace-hops tbody tr[data-kind='DELIVERY']")).getText()).contains(AP);
            screenshot("traces");

            // The same subscription is the region's interest.
            open("interest");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
                browser.navigate().refresh();
                assertThat(browser.findElement(By.cssSelector("#interest table[data-region='" + AP + "']")).getText())
                        .contains("dashboard/traced/#").contains(mesh.edge(AP).edgeId());
            });
            screenshot("interest");
        }
    }

    @Test
    void aRuleAddedAndDeletedOnTheBrokersPageGoesThroughTheRulesApi() throws Exception {
        String edge = mesh.edge(AP).edgeId();
        String pattern = "dashboard/rule/" + UUID.randomUUID() + "/#";
        open("brokers");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> read("#brokers-table tbody td:first-child", null).contains(edge));
        browser.findElement(By.id("rule-pattern")).sendKeys(pattern);
        click("#rule-destination option[value='" + brokerId(edge) + "']");
        browser.findElement(By.cssSelector("#rule-form button")).click();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> rulePatterns().contains(pattern));
        String ruleId = ruleIdOf(pattern);
        assertThat(read("#rules-table tr[data-rule='" + ruleId + "']", null).get(0)).contains(edge).contains("ACTIVE");

        click("#rules-table tr[data-rule='" + ruleId + "'] button[data-action='delete']");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> !rulePatterns().contains(pattern));
        assertThat(read("#rules-message", null)).containsExactly("rule deleted");
    }

    private String brokerId(String brokerName) throws Exception {
        for (JsonNode broker : JSON.readTree(get("/v1/brokers")).get("brokers")) {
            if (broker.get("brokerName").asText().equals(brokerName)) {
                return broker.get("brokerId").asText();
            }
        }
        throw new AssertionError("no broker " + brokerName + " in the directory");
    }

    /** The rules the API holds (not the page): what the page changed. */
    private List<String> rulePatterns() throws Exception {
        return JSON.readTree(get("/v1/rules")).get("rules").findValuesAsText("sourceTopicPattern");
    }

    private String ruleIdOf(String pattern) throws Exception {
        for (JsonNode rule : JSON.readTree(get("/v1/rules")).get("rules")) {
            if (rule.get("sourceTopicPattern").asText().equals(pattern)) {
                return rule.get("ruleId").asText();
            }
        }
        throw new AssertionError("no rule for " + pattern);
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(mesh.controlPlaneUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
