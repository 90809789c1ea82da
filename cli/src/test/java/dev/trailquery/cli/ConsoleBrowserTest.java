package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailquery.functions.api.AwsApi;
import dev.trailquery.functions.api.EmbeddedApi;
import dev.trailquery.functions.catalog.LocalCatalog;
import dev.trailquery.functions.catalog.TrailLayout;
import dev.trailquery.functions.fanout.FanoutConfig;
import dev.trailquery.functions.fanout.Invoker;
import dev.trailquery.functions.fanout.ThreadInvoker;
import dev.trailquery.functions.fanout.WorkerRequest;
import dev.trailquery.functions.testing.Emulators;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The console in a real browser: headless Chromium driven by chromedriver (both from the OS
 * packages; {@code .ci/run} installs them) through Selenium, one browser session for every test,
 * against {@code serve} on loopback — the embedded API over the bundled samples, a second one whose
 * workers are slowed (a slow Lambda) for stopping a running query, and one over the local S3 and
 * DynamoDB servers for subscriptions. Screenshots of failures (and of the console for the README)
 * go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {
  static final Path SAMPLES = Path.of("..", "samples", "cloudtrail");
  static final Path SHOTS = Path.of("target", "console-screenshots");
  static final String START = "2017-01-01T00:00:00Z";
  static final String END = "2026-01-01T00:00:00Z";
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String BUCKET = "console-" + RUN;

  static ServeCommand.Server samples;
  static ServeCommand.Server slow;
  static ServeCommand.Server subscriptions;
  static ChromeDriver driver;
  @TempDir static Path tmp;

  @RegisterExtension
  static final TestWatcher SCREENSHOT_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          shot("FAILED-" + context.getRequiredTestMethod().getName());
        }
      };

  @BeforeAll
  static void start() throws Exception {
    EmbeddedApi embedded = new EmbeddedApi(SAMPLES, FanoutConfig.local(2));
    samples = ServeCommand.start(embedded.api(), "127.0.0.1", 0, embedded);

    // Small batches, one worker, each batch answering 250 ms late: the query runs for seconds.
    LocalCatalog catalog = new LocalCatalog(SAMPLES, TrailLayout.defaults());
    Invoker threads = new ThreadInvoker(catalog.source());
    Invoker slowWorkers =
        new Invoker() {
          @Override
          public CompletableFuture<byte[]> invoke(WorkerRequest request) {
            return CompletableFuture.supplyAsync(
                    () -> null, CompletableFuture.delayedExecutor(250, TimeUnit.MILLISECONDS))
                .thenCompose(x -> threads.invoke(request));
          }

          @Override
          public void close() {
            threads.close();
          }
        };
    EmbeddedApi slowApi =
        new EmbeddedApi(
            catalog,
            slowWorkers,
            FanoutConfig.local(1).withBatchBytes(1, 64 * 1024, 10),
            System::currentTimeMillis);
    slow = ServeCommand.start(slowApi.api(), "127.0.0.1", 0, slowApi);

    driver = browser();
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    for (ServeCommand.Server s : new ServeCommand.Server[] {samples, slow, subscriptions}) {
      if (s != null) {
        s.close();
      }
    }
  }

  /** Chromium and chromedriver from the PATH (or TRAILQUERY_CHROMIUM, TRAILQUERY_CHROMEDRIVER). */
  static ChromeDriver browser() {
    String chromium = find("TRAILQUERY_CHROMIUM", "chromium", "chromium-browser", "google-chrome");
    String chromedriver = find("TRAILQUERY_CHROMEDRIVER", "chromedriver");
    assertThat(chromium != null && chromedriver != null)
        .as(
            "the console tests need Chromium and chromedriver on the PATH (Debian: apt-get install"
                + " chromium chromium-driver; .ci/run installs them)")
        .isTrue();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--window-size=1280,800",
        "--lang=en-US");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver)).build();
    ChromeDriver d = new ChromeDriver(service, options);
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    return d;
  }

  static String find(String env, String... names) {
    String given = System.getenv(env);
    if (given != null && !given.isBlank()) {
      return given;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String n : names) {
        Path p = Path.of(dir, n);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    return null;
  }

  static void shot(String name) {
    if (driver == null) {
      return;
    }
    try {
      Files.createDirectories(SHOTS);
      Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException | RuntimeException e) {
      System.err.println("no screenshot " + name + ": " + e);
    }
  }

  // ---- page helpers

  static void open(ServeCommand.Server server, String hash) {
    driver.manage().window().setSize(new Dimension(1280, 800));
    driver.get("http://127.0.0.1:" + server.port() + "/" + hash);
    waitFor(() -> js("return !!window.trailquery"));
  }

  static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  static void waitFor(java.util.function.Supplier<Object> condition) {
    new WebDriverWait(driver, Duration.ofSeconds(45))
        .until(
            d -> {
              Object v = condition.get();
              return v instanceof Boolean b ? b : v != null;
            });
  }

  static WebElement testid(String id) {
    return driver.findElement(By.cssSelector("[data-testid='" + id + "']"));
  }

  static String status() {
    return testid("status").getText();
  }

  static boolean ended() {
    return status().matches(".*(Complete|Failed|Cancelled|Timeout)$");
  }

  /** Types the query and range through the page object, clicks Run, waits for the end. */
  static void run(String query, String start, String end) {
    js(
        "window.trailquery.setQuery(arguments[0]);"
            + " window.trailquery.setTimeRange(arguments[1], arguments[2]);",
        query,
        start,
        end);
    testid("run").click();
    waitFor(ConsoleBrowserTest::ended);
  }

  @SuppressWarnings("unchecked")
  static List<String> header() {
    return (List<String>)
        js(
            "return [...document.querySelectorAll(\"[data-testid='results'] thead th\")]"
                + ".map(th => th.textContent)");
  }

  @SuppressWarnings("unchecked")
  static List<List<String>> body() {
    return (List<List<String>>)
        js(
            "return [...document.querySelectorAll(\"[data-testid='results'] tbody tr\")]"
                + ".map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent))");
  }

  /** `query --format json` of the same query and range, as the table's cells. */
  static List<List<String>> cli(String query, String start, String end, List<String> fields)
      throws IOException {
    JsonNode out = cliJson(query, start, end);
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode r : out.get("rows")) {
      List<String> row = new ArrayList<>();
      for (String f : fields) {
        row.add(r.has(f) ? r.get(f).asText() : "");
      }
      rows.add(row);
    }
    return rows;
  }

  static JsonNode cliJson(String query, String start, String end) throws IOException {
    MainTest.Run r =
        MainTest.run(
            "query", query, SAMPLES.toString(), "--start", start, "--end", end, "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    return MainTest.JSON.readTree(r.out());
  }

  /** The chart's data table (the numbers it draws): header row, then one row per point. */
  @SuppressWarnings("unchecked")
  static List<List<String>> chartData(String testid) {
    return (List<List<String>>)
        js(
            "return [...document.querySelectorAll(\"[data-testid='\" + arguments[0] + \"']"
                + " table.chart-data tr\")].map(tr => [...tr.children].map(c => c.textContent))",
            testid);
  }

  // ---- tests

  @Test
  void queryTablesEqualTheCliJson() throws IOException {
    open(samples, "");
    String stats =
        "filter eventSource = \"iam.amazonaws.com\"\n"
            + "| stats count(*) as calls, count_distinct(sourceIPAddress) as ips by eventName\n"
            + "| sort calls desc, eventName";
    run(stats, START, END);
    assertThat(status()).endsWith("Complete");
    JsonNode expected = cliJson(stats, START, END);
    List<String> fields = new ArrayList<>();
    expected.get("fields").forEach(f -> fields.add(f.asText()));
    assertThat(header()).isEqualTo(fields);
    assertThat(body()).hasSizeGreaterThan(5).isEqualTo(cli(stats, START, END, fields));
    assertThat(testid("records-matched").getText())
        .isEqualTo(expected.get("statistics").get("recordsMatched").asText());
    assertThat(testid("records-scanned").getText())
        .isEqualTo(expected.get("statistics").get("recordsScanned").asText());
    // Export: the CSV is `query --format csv`'s, byte for byte; the JSON has the same rows.
    MainTest.Run csv =
        MainTest.run(
            "query", stats, SAMPLES.toString(), "--start", START, "--end", END, "--format", "csv");
    // (WebDriver hands strings back with \n line ends: the CRLFs are checked in the page.)
    assertThat(js("return window.trailquery.exportCsv().split('\\r\\n').join('\\n')"))
        .isEqualTo(csv.out().replace("\r\n", "\n"));
    assertThat(
            js(
                "const t = window.trailquery.exportCsv(); return t.endsWith('\\r\\n')"
                    + " && t.split('\\r\\n').length === t.split('\\n').length"))
        .isEqualTo(true);
    assertThat(csv.out()).endsWith("\r\n");
    JsonNode exported =
        MainTest.JSON.readTree((String) js("return window.trailquery.exportJson()"));
    assertThat(exported.get("fields")).isEqualTo(expected.get("fields"));
    assertThat(exported.get("rows")).hasSize(expected.get("rows").size());
    for (int i = 0; i < expected.get("rows").size(); i++) {
      for (String f : fields) {
        assertThat(exported.get("rows").get(i).get(f).asText())
            .isEqualTo(expected.get("rows").get(i).get(f).asText());
      }
    }
    assertThat(testid("export-csv").isEnabled()).isTrue();

    // Columns sort: numbers as numbers, ascending then descending.
    driver
        .findElement(By.xpath("//table[@data-testid='results']/thead//button[text()='calls']"))
        .click();
    assertThat(
            driver
                .findElement(By.xpath("//table[@data-testid='results']/thead/tr/th[2]"))
                .getAttribute("aria-sort"))
        .isEqualTo("ascending");
    List<Long> calls = body().stream().map(r -> Long.parseLong(r.get(1))).toList();
    assertThat(calls).isSorted().hasSize(expected.get("rows").size());
    driver
        .findElement(By.xpath("//table[@data-testid='results']/thead//button[text()='calls']"))
        .click();
    assertThat(body().stream().map(r -> Long.parseLong(r.get(1))).toList())
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());

    // Not a bin() query: a bar per group.
    waitFor(() -> js("return document.querySelector(\"[data-testid='chart'] canvas\")"));
    assertThat(chartData("chart")).hasSize(Math.min(body().size(), 50) + 1);

    String rows =
        "fields eventTime, eventName, eventID, awsRegion\n"
            + "| filter eventSource = \"ec2.amazonaws.com\"\n"
            + "| sort eventID\n"
            + "| limit 40";
    run(rows, START, END);
    assertThat(status()).endsWith("Complete");
    assertThat(header()).containsExactly("eventTime", "eventName", "eventID", "awsRegion");
    assertThat(body())
        .hasSize(40)
        .isEqualTo(
            cli(rows, START, END, List.of("eventTime", "eventName", "eventID", "awsRegion")));
    // The histogram counts every matched record, not only the 40 shown: its bars add up to the
    // records matched (from the CLI's statistics).
    long matched = cliJson(rows, START, END).get("statistics").get("recordsMatched").asLong();
    waitFor(
        () ->
            js(
                "const t = document.querySelector(\"[data-testid='histogram'] table.chart-data\");"
                    + " return t && [...t.tBodies[0].rows].length > 0"));
    long sum =
        chartData("histogram").stream().skip(1).mapToLong(r -> Long.parseLong(r.get(1))).sum();
    assertThat(sum).isEqualTo(matched);
    shot("console-histogram");

    // A row opens into its pretty-printed record; @ptr can be copied.
    run(
        "fields @timestamp, eventName, @message, @ptr | filter eventSource = \"ec2.amazonaws.com\""
            + " | sort @timestamp desc | limit 5",
        START,
        END);
    driver.findElement(By.cssSelector("[data-testid='results'] tbody tr")).click();
    WebElement message = testid("record-message");
    waitFor(message::isDisplayed);
    assertThat(message.getText()).startsWith("{\n  \"");
    assertThat(MainTest.JSON.readTree(message.getText()).get("eventSource").asText())
        .isEqualTo("ec2.amazonaws.com");
    assertThat(testid("copy-ptr").isDisplayed()).isTrue();
    shot("console-record");

    // Field names discovered in those records are completed in the editor.
    driver.findElement(By.id("detail-close")).click();
    String discovered =
        (String)
            js(
                "return [...document.querySelectorAll(\"[data-testid='fields'] .item-main\")]"
                    + ".map(b => b.textContent).find(f => f.startsWith('requestParameters.')"
                    + " && f !== 'requestParameters.bucketName')");
    assertThat(discovered).isNotNull();
    js(
        "window.trailquery.setQuery(arguments[0])",
        "filter ispresent(" + discovered.substring(0, 20));
    WebElement content =
        driver.findElement(By.cssSelector("[data-testid='query-editor'] .cm-content"));
    content.click();
    content.sendKeys(Keys.END);
    new Actions(driver).keyDown(Keys.CONTROL).sendKeys(Keys.SPACE).keyUp(Keys.CONTROL).perform();
    waitFor(
        () ->
            js(
                "return [...document.querySelectorAll('.cm-tooltip-autocomplete li')]"
                    + ".some(li => li.textContent.includes(arguments[0]))",
                discovered));
  }

  @Test
  void aBadQueryShowsItsErrorAtTheLineAndColumn() {
    open(samples, "");
    // Line 2, column 22 is the second '=' (counted by hand). Ctrl-Enter in the editor runs it.
    js(
        "window.trailquery.setQuery(arguments[0]);"
            + " window.trailquery.setTimeRange(arguments[1], arguments[2]);",
        "fields eventName\n| filter eventName = = 'x'",
        START,
        END);
    driver.findElement(By.cssSelector("[data-testid='query-editor'] .cm-content")).click();
    new Actions(driver).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
    waitFor(ConsoleBrowserTest::ended);
    assertThat(status()).endsWith("Failed");
    WebElement error = testid("error");
    assertThat(error.isDisplayed()).isTrue();
    assertThat(error.getText()).startsWith("line 2, column 22: ").contains("'='");
    waitFor(() -> js("return document.querySelector('.cm-lintRange-error')"));
    Object marked =
        js(
            "const m = document.querySelector('.cm-lintRange-error');"
                + " return [m.textContent, m.closest('.cm-line').textContent]");
    assertThat(marked).isEqualTo(List.of("=", "| filter eventName = = 'x'"));
    // The marker's line is the editor's second line.
    assertThat(
            js(
                "const lines = [...document.querySelectorAll(\"[data-testid='query-editor']"
                    + " .cm-line\")]; return lines.indexOf(document.querySelector("
                    + "'.cm-lintRange-error').closest('.cm-line'))"))
        .isEqualTo(1L);
    shot("console-error");
  }

  @Test
  void stopCancelsARunningQueryAndKeepsItsPartialResults() {
    open(slow, "");
    js(
        "window.trailquery.setQuery(arguments[0]);"
            + " window.trailquery.setTimeRange(arguments[1], arguments[2]);",
        "stats count(*) as n by eventSource",
        "2000-01-01T00:00:00Z",
        "2030-01-01T00:00:00Z");
    testid("run").click();
    waitFor(
        () ->
            status().endsWith("Running")
                && Long.parseLong(testid("records-scanned").getText()) > 0);
    assertThat(testid("stop").isEnabled()).isTrue();
    testid("stop").click();
    waitFor(ConsoleBrowserTest::ended);
    assertThat(status()).endsWith("Cancelled");
    long scanned = Long.parseLong(testid("records-scanned").getText());
    assertThat(scanned).isPositive().isLessThan(3805);
    assertThat(testid("stop").isEnabled()).isFalse();
    assertThat(testid("run").isEnabled()).isTrue();
  }

  @Test
  void aBinQueryDrawsAChartOfItsBins() throws IOException {
    open(samples, "");
    String q = "stats count(*) as events by bin(30d)";
    run(q, START, END);
    assertThat(status()).endsWith("Complete");
    WebElement chart = testid("chart");
    waitFor(() -> js("return document.querySelector(\"[data-testid='chart'] canvas\")"));
    assertThat(chart.isDisplayed()).isTrue();
    assertThat(chart.findElement(By.tagName("canvas")).getSize().getHeight()).isGreaterThan(100);
    // Every 30-day bin from the first to the last, 0 where the CLI has no row for it.
    Map<String, String> cliBins = new HashMap<>();
    List<Long> starts = new ArrayList<>();
    for (JsonNode r : cliJson(q, START, END).get("rows")) {
      cliBins.put(r.get("bin(30d)").asText().substring(0, 16), r.get("events").asText());
      starts.add(
          java.time.Instant.parse(r.get("bin(30d)").asText().replace(' ', 'T') + "Z")
              .toEpochMilli());
    }
    long first = starts.stream().mapToLong(Long::longValue).min().orElseThrow();
    long last = starts.stream().mapToLong(Long::longValue).max().orElseThrow();
    long bins = (last - first) / Duration.ofDays(30).toMillis() + 1;
    List<List<String>> data = chartData("chart");
    assertThat(data).hasSize((int) bins + 1);
    for (List<String> row : data.subList(1, data.size())) {
      assertThat(row.get(1)).isEqualTo(cliBins.getOrDefault(row.get(0).substring(0, 16), "0"));
    }
    assertThat(chart.getAttribute("data-points")).isEqualTo(String.valueOf(bins));
    // Line, bar and stacked.
    for (String kind : List.of("bar", "stacked", "line")) {
      driver.findElement(By.cssSelector("#chart-kinds [data-kind='" + kind + "']")).click();
      assertThat(
              driver
                  .findElement(By.cssSelector("#chart-kinds [data-kind='" + kind + "']"))
                  .getAttribute("aria-checked"))
          .isEqualTo("true");
      assertThat(chart.findElements(By.tagName("canvas"))).hasSize(1);
    }
    shot("console-bin-chart");
  }

  @Test
  void savedQueriesFromThePackAndYoursRun() throws IOException {
    open(samples, "");
    js("window.trailquery.setTimeRange(arguments[0], arguments[1])", START, END);
    // A built-in one: the pack's entries are listed with their descriptions.
    waitFor(
        () ->
            js(
                "return document.querySelectorAll(\"[data-testid='saved-queries'] li[data-name]\").length > 5"));
    WebElement first =
        driver.findElement(By.cssSelector("[data-testid='saved-queries'] li[data-name]"));
    String name = first.getAttribute("data-name");
    assertThat(first.getText()).contains(name).contains("pack");
    first.findElement(By.cssSelector("[data-action='run-saved']")).click();
    waitFor(ConsoleBrowserTest::ended);
    assertThat(status()).endsWith("Complete");
    String builtin = (String) js("return window.trailquery.getQuery()");
    MainTest.Run saved = MainTest.run("saved", name);
    assertThat(saved.out()).contains(builtin.strip().lines().findFirst().orElseThrow());

    // One of yours: saved from the editor, listed, run.
    String mine =
        "filter eventName = \"GetUser\" | stats count(*) as n by userIdentity.type | sort n desc, userIdentity.type";
    js("window.trailquery.setQuery(arguments[0])", mine);
    driver.findElement(By.id("save")).click();
    driver.findElement(By.id("save-name")).sendKeys("browser/" + RUN);
    driver.findElement(By.id("save-description")).sendKeys("saved by the browser test");
    driver.findElement(By.cssSelector("#save-form button[type='submit']")).click();
    By mineItem =
        By.cssSelector("[data-testid='saved-queries'] li[data-name='browser/" + RUN + "']");
    waitFor(() -> !driver.findElements(mineItem).isEmpty());
    js("window.trailquery.setQuery('fields eventName')");
    driver.findElement(mineItem).findElement(By.cssSelector("[data-action='run-saved']")).click();
    waitFor(ConsoleBrowserTest::ended);
    assertThat(status()).endsWith("Complete");
    assertThat(js("return window.trailquery.getQuery()")).isEqualTo(mine);
    assertThat(body()).isNotEmpty().isEqualTo(cli(mine, START, END, header()));

    // Both runs are in the local history, newest first.
    driver.findElement(By.id("tab-history")).click();
    List<WebElement> history = driver.findElements(By.cssSelector("[data-testid='history'] li .q"));
    assertThat(history.getFirst().getText()).isEqualTo(mine);

    // Yours can be deleted (the pack's cannot).
    driver.findElement(By.id("tab-saved")).click();
    driver.findElement(mineItem).findElement(By.cssSelector("[aria-label^='Delete']")).click();
    driver.switchTo().alert().accept();
    waitFor(() -> driver.findElements(mineItem).isEmpty());
    assertThat(
            driver
                .findElement(
                    By.cssSelector("[data-testid='saved-queries'] li[data-name='" + name + "']"))
                .findElements(By.cssSelector("[aria-label^='Delete']")))
        .isEmpty();
  }

  /** Sets the page's viewport (CSS pixels), as a phone when {@code mobile}. */
  static void viewport(int width, int height, boolean mobile) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  @Test
  void usableAt1280x800AndAtPhoneWidth() {
    open(samples, "");
    try {
      viewport(1280, 800, false);
      js("localStorage.setItem('trailquery.console', JSON.stringify({chartKind: 'stacked'}))");
      open(samples, "");
      viewport(1280, 800, false);
      run(
          "filter eventSource in [\"ec2.amazonaws.com\", \"iam.amazonaws.com\","
              + " \"s3.amazonaws.com\", \"ssm.amazonaws.com\", \"kms.amazonaws.com\"]\n"
              + "| stats count(*) as events by eventSource, bin(5m)",
          "2023-07-10T11:30:00Z",
          "2023-07-10T12:40:00Z");
      assertThat(status()).endsWith("Complete");
      waitFor(() -> js("return document.querySelector(\"[data-testid='chart'] canvas\")"));
      assertThat(noHorizontalScroll()).isTrue();
      shot("console");

      // A phone, loading the page afresh at its width.
      viewport(390, 844, true);
      open(samples, "");
      viewport(390, 844, true);
      run(
          "stats count(*) as events by eventSource, bin(5m)",
          "2023-07-10T11:30:00Z",
          "2023-07-10T12:40:00Z");
      waitFor(() -> js("return document.querySelector(\"[data-testid='chart'] canvas\")"));
      assertThat(js("return window.innerWidth")).isEqualTo(390L);
      assertThat(noHorizontalScroll()).as("no sideways scrolling at phone width").isTrue();
      for (String id : List.of("query-editor", "time-range", "run", "stop", "status", "chart")) {
        WebElement e = testid(id);
        assertThat(e.isDisplayed()).as(id).isTrue();
        assertThat(e.getRect().getX() + e.getRect().getWidth()).as(id).isLessThanOrEqualTo(390);
      }
      // Everything the page loaded came from this server: it works offline.
      assertThat(
              js(
                  "return performance.getEntriesByType('resource')"
                      + ".filter(e => !e.name.startsWith(location.origin)).map(e => e.name)"))
          .isEqualTo(List.of());
      shot("console-phone");
    } finally {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
      js("localStorage.clear()");
    }
  }

  static boolean noHorizontalScroll() {
    return (Boolean)
        js("return document.documentElement.scrollWidth <= document.documentElement.clientWidth");
  }

  @Test
  void aSubscriptionsChartShowsItsBins() throws Exception {
    S3Client s3 = Emulators.s3();
    Map<String, String> env = new HashMap<>(Emulators.env());
    env.put("TRAILQUERY_SUBSCRIPTIONS_TABLE", "subs-" + RUN);
    env.put("TRAILQUERY_RESULTS_TABLE", "results-" + RUN);
    env.put("TRAILQUERY_QUERIES_TABLE", "queries-" + RUN);
    env.put("TRAILQUERY_TRAIL_BUCKET", BUCKET);
    env.put("TRAILQUERY_SUBSCRIPTION_CACHE_SECONDS", "0");
    env.put("TRAILQUERY_ALARM_FILE", tmp.resolve("alarms.jsonl").toString());
    Context.Services services = new Context.Services(env, s3, Emulators.dynamo());
    assertThat(MainTest.run(services, "local-init").code()).isZero();
    MainTest.Run sub =
        MainTest.run(
            services,
            "subscribe",
            "iam-calls",
            "filter eventSource = 'iam.amazonaws.com' | stats count(*) as calls by eventName",
            "--bin",
            "1h");
    assertThat(sub.code()).as(sub.err()).isZero();
    MainTest.Run alarm =
        MainTest.run(services, "alarm", "set", "iam-calls", "--column", "calls", "--above", "2");
    assertThat(alarm.code()).as(alarm.err()).isZero();

    // By hand: 10:00-11:00 GetUser 2, ListUsers 1; 11:00-12:00 nothing; 12:00-13:00 GetUser 3
    // (above 2: the alarm fires); an S3 call that the filter drops.
    String key =
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/"
            + "111122223333_CloudTrail_us-east-1_20261120T1235Z_console.json";
    List<String> records = new ArrayList<>();
    String[][] events = {
      {"10:05:00", "GetUser"}, {"10:20:00", "GetUser"}, {"10:40:00", "ListUsers"},
      {"12:10:00", "GetUser"}, {"12:15:00", "GetUser"}, {"12:30:00", "GetUser"}
    };
    int i = 0;
    for (String[] e : events) {
      records.add(
          "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-20T"
              + e[0]
              + "Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\""
              + e[1]
              + "\",\"awsRegion\":\"us-east-1\",\"eventID\":\"c-"
              + i++
              + "\"}");
    }
    records.add(
        "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-20T11:30:00Z\",\"eventSource\":"
            + "\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"eventID\":\"c-s3\"}");
    String object = "{\"Records\":[" + String.join(",", records) + "]}";
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(object));
    ObjectNode event = MainTest.JSON.createObjectNode();
    ObjectNode r = event.putArray("Records").addObject();
    r.put("eventSource", "aws:s3");
    r.put("eventName", "ObjectCreated:Put");
    r.putObject("s3").putObject("bucket").put("name", BUCKET);
    ((ObjectNode) r.get("s3")).putObject("object").put("key", key).put("size", object.length());
    Path file = tmp.resolve("event.json");
    Files.writeString(file, event.toString());
    MainTest.Run ingest = MainTest.run(services, "invoke", "ingest", file.toString());
    assertThat(ingest.code()).as(ingest.err()).isZero();

    AwsApi aws = AwsApi.from(env, s3, Emulators.dynamo());
    subscriptions = ServeCommand.start(aws.api(), "127.0.0.1", 0, null);
    open(subscriptions, "#subs");
    By item = By.cssSelector("[data-testid='subscriptions'] li[data-name='iam-calls']");
    waitFor(() -> !driver.findElements(item).isEmpty());
    assertThat(driver.findElement(item).getText()).contains("iam-calls").contains("ALARM");
    driver.findElement(item).findElement(By.cssSelector(".item-main")).click();
    waitFor(
        () -> js("return document.querySelector(\"[data-testid='subscription-chart'] canvas\")"));
    List<List<String>> data = chartData("subscription-chart");
    assertThat(data.getFirst()).startsWith("bin (1h) UTC").contains("GetUser", "ListUsers");
    int getUser = data.getFirst().indexOf("GetUser");
    int listUsers = data.getFirst().indexOf("ListUsers");
    assertThat(data.subList(1, data.size()))
        .extracting(row -> row.get(0) + " " + row.get(getUser) + " " + row.get(listUsers))
        .containsExactly(
            "2026-11-20 10:00:00 2 1", "2026-11-20 11:00:00 0 0", "2026-11-20 12:00:00 3 0");
    assertThat(testid("alarm").getText()).contains("ALARM").contains("calls");
    shot("console-subscription");

    // At phone width too.
    try {
      viewport(390, 844, true);
      open(subscriptions, "#subs");
      viewport(390, 844, true);
      waitFor(() -> !driver.findElements(item).isEmpty());
      driver.findElement(item).findElement(By.cssSelector(".item-main")).click();
      waitFor(
          () -> js("return document.querySelector(\"[data-testid='subscription-chart'] canvas\")"));
      assertThat(noHorizontalScroll()).isTrue();
      shot("console-subscription-phone");
    } finally {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }
}
