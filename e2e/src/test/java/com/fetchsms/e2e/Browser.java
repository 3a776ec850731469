package com.fetchsms.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A real browser for the dashboard's scenarios: Debian's {@code chromium}, headless, driven through Debian's
 * {@code chromedriver} (both found at their Debian paths, never downloaded: Selenium Manager is not asked). A JUnit
 * extension of the test class ({@code @RegisterExtension}): started before the class, quit after it; when a test fails,
 * the page's screenshot and source are saved next to the others.
 *
 * <p>
 * Each page visited is screenshotted to {@code e2e/target/screenshots/<TestClass>-<nn>-<name>.png} (the directory is
 * emptied once per run, by the first class that starts a browser). The browser's console is read
 * after every page and every test (and kept in {@code <TestClass>-console.log} there): a Content-Security-Policy violation or a
 * JavaScript error fails the test. Each page screenshotted is also checked with axe-core (Deque's engine, run in the
 * page through WebDriver): its full results are kept as {@code <TestClass>-<nn>-<name>.axe.json} beside the
 * screenshot, and a violation of a WCAG 2.0/2.1/2.2 level A or AA rule whose impact is serious or critical fails the
 * test at its end (after the scenario ran on: one run names every page's violations), naming the rule, the page and
 * the offending elements. {@code -Dfetchsms.e2e.browser=skip} skips the class on a machine without the
 * packages; otherwise it fails naming them, unless it can install them itself (as root with apt-get, like
 * {@code .ci/run}).
 */
final class Browser
        implements
            BeforeAllCallback,
            AfterAllCallback,
            BeforeTestExecutionCallback,
            AfterTestExecutionCallback {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final List<String> PACKAGES = List.of("chromium", "chromium-driver");
    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    /** A page and what it fetches (the stack shares two cores with the browser). */
    static final Duration PAGE = Duration.ofSeconds(30);

    /** axe-core's tags of the WCAG 2.x success criteria of levels A and AA (2.2 added no level A rule). */
    static final Set<String> WCAG_A_AA = Set.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");
    /** The impacts (axe-core's minor, moderate, serious, critical) that fail a test; all are in the saved results. */
    static final Set<String> FAILING_IMPACTS = Set.of("serious", "critical");
    private static final ObjectMapper AXE_JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL).enable(SerializationFeature.INDENT_OUTPUT);

    /** The screenshots of an earlier run are removed once, by the first class of this run: not by each class. */
    private static final AtomicBoolean CLEARED = new AtomicBoolean();

    private final AtomicInteger shots = new AtomicInteger();
    /** The screenshots taken before the running test: a failed test that did not use this browser leaves it be. */
    private int shotsBeforeTest;
    private final Set<String> visited = new LinkedHashSet<>();
    private final List<String> offending = new ArrayList<>();
    private final List<String> liveFailures = new ArrayList<>();
    /** The accessibility violations found by axe-core since the running test began, one entry per rule and page. */
    private final List<String> inaccessible = new ArrayList<>();
    private final boolean backForwardCache;
    private ChromeDriverService service;
    private ChromeDriver driver;
    private String baseUrl;
    private Path screenshots;
    /** The test class's simple name: the first part of each file's name. */
    private String prefix;

    /**
     * A browser without Chromium's back/forward cache: a page left stays out of it, so it cannot keep its live
     * connection (one of the account's five event streams) open behind the customer's back. For the scenarios of the
     * pages' function; {@link #asShipped()} for what a customer's browser does.
     */
    Browser() {
        this(false);
    }

    private Browser(boolean backForwardCache) {
        this.backForwardCache = backForwardCache;
    }

    /** Chromium as it ships, back/forward cache included; started when first used. */
    static Browser asShipped() {
        return new Browser(true);
    }

    // ---------------------------------------------------------------- lifecycle (JUnit)

    @Override
    public void beforeAll(ExtensionContext context) {
        prefix = context.getRequiredTestClass().getSimpleName() + (backForwardCache ? "-as-shipped" : "");
        require(prefix);
        baseUrl = StackExtension.world().stack.baseUrl;
        screenshots = Path.of(System.getProperty("fetchsms.e2e.screenshots", "target/screenshots"))
                .toAbsolutePath();
        try {
            Files.createDirectories(screenshots);
            if (CLEARED.compareAndSet(false, true)) {
                try (var old = Files.list(screenshots)) { // a fresh set per run
                    for (Path file : old.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!backForwardCache) {
            start();
        }
    }

    private void start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
                "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--lang=en-US");
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox"); // Chromium refuses to run as root with its sandbox
        }
        if (!backForwardCache) {
            options.addArguments("--disable-features=BackForwardCache");
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(screenshots.resolve(prefix + "-chromedriver.log").toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PAGE);
        driver.manage().window().setSize(DESKTOP);
        System.out.printf("[browser] %s %s%s, screenshots in %s%n", driver.getCapabilities().getBrowserName(),
                driver.getCapabilities().getBrowserVersion(), backForwardCache ? "" : " (no back/forward cache)",
                screenshots);
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        shotsBeforeTest = shots.get();
        inaccessible.clear();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        String test = context.getRequiredTestMethod().getName();
        if (context.getExecutionException().isPresent()) {
            if (!inaccessible.isEmpty()) {
                System.out.println("[browser] " + test + " also had " + accessibilityReport(test));
            }
            if (driver != null && shots.get() != shotsBeforeTest) {
                String name = "FAILED-" + test;
                try {
                    capture(name);
                    Files.writeString(screenshots.resolve(String.format("%s-%02d-%s.html", prefix, shots.get(), name)),
                            driver.getPageSource(), StandardCharsets.UTF_8);
                    System.out.printf("[browser] %s failed on %s: screenshot and page source saved as %s-%02d-%s%n",
                            test, driver.getCurrentUrl(), prefix, shots.get(), name);
                } catch (RuntimeException | IOException e) {
                    System.out.println("[browser] could not save the failed page: " + e);
                }
            }
            return;
        }
        assertConsoleClean("the end of " + test);
        assertAccessible(test);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            try {
                readConsole("the end of the class");
            } finally {
                driver.quit();
                driver = null;
            }
        }
        if (service != null) {
            service.stop();
        }
    }

    /**
     * Makes sure chromium and chromedriver are there: when one is missing and this runs as root on a machine with
     * apt-get (CI, a Debian container), installs Debian's packages once, as {@code .ci/run} does; otherwise fails
     * naming them ({@code -Dfetchsms.e2e.browser=skip} skips instead).
     */
    private static synchronized void require(String what) {
        List<Path> binaries = List.of(CHROMIUM, CHROMEDRIVER);
        List<String> missing = DebianPackages.missing(binaries);
        if (missing.isEmpty()) {
            return;
        }
        if ("skip".equals(System.getProperty("fetchsms.e2e.browser"))) {
            Assumptions
                    .abort(what + " needs " + String.join(", ", missing) + " (skipped: -Dfetchsms.e2e.browser=skip)");
        }
        missing = DebianPackages.install(what, PACKAGES, binaries);
        if (missing.isEmpty()) {
            return;
        }
        fail(what + " needs " + String.join(", ", missing) + ": install Debian's packages with `"
                + DebianPackages.command(PACKAGES) + "` (.ci/run does), or pass -Dfetchsms.e2e.browser=skip to skip"
                + " the browser tests");
    }

    // ---------------------------------------------------------------- pages

    ChromeDriver driver() {
        if (driver == null) {
            start();
        }
        return driver;
    }

    /** Opens a path of the gateway, waits for the page and its scripts, screenshots it and reads the console. */
    void visit(String path, String name) {
        driver().get(baseUrl + path);
        loaded(name, true);
    }

    /**
     * Clicks the button labelled {@code label} that submits a form, and waits for the page it leads to: the page a
     * redirect led to (a page one can load again), or the form's answer itself.
     */
    void submit(String label, String name) {
        WebElement page = driver.findElement(By.tagName("html"));
        WebElement button = button(label);
        String action = button.findElement(By.xpath("./ancestor::form")).getDomProperty("action");
        button.click();
        waitFor("the answer to \"" + label + "\"", d -> gone(page));
        loaded(name, !driver.getCurrentUrl().equals(action));
    }

    /** Whether an element's page was replaced (asked while the browser navigates, chromedriver may answer oddly). */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            return false; // e.g. "Node with given id does not belong to the document" mid-navigation: ask again
        }
    }

    /** After a navigation: waits for the page and htmx, records the page, screenshots it and reads the console. */
    private void loaded(String name, boolean get) {
        waitFor("the page " + name + " to load (htmx and the dashboard's script ready)",
                d -> Boolean.TRUE.equals(js("return document.readyState === 'complete' && !!window.htmx")));
        String path = path();
        if (get && path.startsWith("/app")) {
            visited.add(path);
        }
        screenshot(name);
        assertConsoleClean(name + " (" + path + ")");
    }

    WebElement button(String label) {
        return driver.findElement(By.xpath("//button[normalize-space()='" + label + "']"));
    }

    boolean hasButton(String label) {
        return !driver.findElements(By.xpath("//button[normalize-space()='" + label + "']")).isEmpty();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean present(String css) {
        return !all(css).isEmpty();
    }

    String text(String css) {
        return find(css).getText().trim();
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** The path and query of the page shown. */
    String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T waitFor(String what, ExpectedCondition<T> condition) {
        return waitFor(what, PAGE, condition);
    }

    <T> T waitFor(String what, Duration timeout, ExpectedCondition<T> condition) {
        // a live part being swapped while the condition reads it is read again at the next poll
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /**
     * Waits until the page's live connection ({@code sse-connect}, htmx's SSE extension) is open, so that an event of
     * the account from now on reaches the page. Reads the extension's EventSource from htmx's data on the element.
     */
    void awaitLive(Duration timeout) {
        waitFor("the page's event stream (/app/live) to be open", timeout,
                d -> Boolean.TRUE.equals(js("var e = document.querySelector('[sse-connect]');"
                        + " var data = e && e['htmx-internal-data'];"
                        + " return !!(data && data.sseEventSource && data.sseEventSource.readyState === 1);")));
    }

    /** The tab shown. */
    String tab() {
        return driver.getWindowHandle();
    }

    /** Opens a path in a new tab, which becomes the one shown; returns the tab. */
    String openTab(String path, String name) {
        driver.switchTo().newWindow(WindowType.TAB);
        visit(path, name);
        return driver.getWindowHandle();
    }

    void switchTo(String tab) {
        driver.switchTo().window(tab);
    }

    /** Closes every tab but the one shown. */
    void closeOtherTabs() {
        String keep = driver.getWindowHandle();
        for (String tab : driver.getWindowHandles()) {
            if (!tab.equals(keep)) {
                driver.switchTo().window(tab);
                driver.close();
            }
        }
        driver.switchTo().window(keep);
    }

    /** Puts a mark in the page's DOM: still there later means the page was neither reloaded nor left. */
    void mark(String token) {
        js("document.body.setAttribute('data-e2e-mark', arguments[0])", token);
    }

    boolean marked(String token) {
        return token.equals(js("return document.body.getAttribute('data-e2e-mark')"));
    }

    /** The browser's cookies as a {@code Cookie} header, for a plain HTTP client acting as this browser. */
    String cookieHeader() {
        return driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
    }

    Cookie cookie(String name) {
        return driver.manage().getCookieNamed(name);
    }

    /** Every dashboard page (path and query) this browser loaded with a GET, in order. */
    Set<String> visited() {
        return Set.copyOf(visited);
    }

    /** Shows the page at the size of a phone while {@code action} runs, then the desktop size again. */
    void asPhone(Runnable action) {
        driver.manage().window().setSize(PHONE);
        try {
            action.run();
        } finally {
            driver.manage().window().setSize(DESKTOP);
        }
    }

    /**
     * Saves what the browser shows as {@code <TestClass>-<nn>-<name>.png} and checks the page with axe-core
     * ({@link #audit}).
     */
    Path screenshot(String name) {
        Path file = capture(name);
        audit(name, file);
        return file;
    }

    private Path capture(String name) {
        Path file = screenshots.resolve(String.format("%s-%02d-%s.png", prefix, shots.incrementAndGet(), name));
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    // ---------------------------------------------------------------- accessibility

    /**
     * Runs axe-core in the page shown, every rule it enables by default (WCAG 2.x A and AA, and its best practices),
     * saves the full results beside the screenshot ({@code <TestClass>-<nn>-<name>.axe.json}) and records each
     * serious or critical violation of a WCAG 2.x A/AA rule, which fails the test at its end. Its script is put in the
     * page by WebDriver, which the page's Content-Security-Policy does not govern.
     */
    private void audit(String name, Path screenshot) {
        AxeRunOptions options = new AxeRunOptions();
        options.setRestoreScroll(true);
        // The classic mode: axe-core runs in the page itself. The dashboard has no frames (its Content-Security-Policy
        // allows none), and the frame-aware mode would open a tab of its own to assemble the results: a tab switch in
        // the middle of scenarios that keep pages and their live connections open in several tabs.
        Results results = new AxeBuilder().setLegacyMode(true).disableIframeTesting().withOptions(options)
                .analyze(driver);
        String page = name + " (" + path() + ")";
        Path file = screenshots.resolve(screenshot.getFileName().toString().replaceFirst("\\.png$", ".axe.json"));
        try {
            Files.writeString(file, AXE_JSON.writeValueAsString(results), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("axe-core's results of " + page + " are not serialisable", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (results.isErrored()) {
            fail("axe-core could not check " + page + ": " + results.getErrorMessage());
        }
        for (Rule rule : results.getViolations()) {
            if (Collections.disjoint(rule.getTags(), WCAG_A_AA)) {
                continue; // a best practice, not a WCAG success criterion: in the saved results only
            }
            List<CheckedNode> nodes = rule.getNodes().stream()
                    .filter(n -> FAILING_IMPACTS.contains(n.getImpact() == null ? rule.getImpact() : n.getImpact()))
                    .toList();
            if (nodes.isEmpty()) {
                continue;
            }
            StringBuilder entry = new StringBuilder().append("- ").append(rule.getId()).append(" (")
                    .append(rule.getImpact()).append(", ")
                    .append(rule.getTags().stream().filter(WCAG_A_AA::contains).collect(Collectors.joining(" ")))
                    .append("): ").append(rule.getHelp()).append("\n  on ").append(page).append(", ")
                    .append(nodes.size()).append(nodes.size() == 1 ? " element" : " elements").append(" (")
                    .append(file.getFileName()).append("):");
            for (CheckedNode node : nodes.subList(0, Math.min(nodes.size(), 8))) {
                entry.append("\n    ").append(node.getTarget()).append(" ").append(node.getHtml()).append("\n      ")
                        .append(String.valueOf(node.getFailureSummary()).replace("\n", "\n      "));
            }
            if (nodes.size() > 8) {
                entry.append("\n    … and ").append(nodes.size() - 8).append(" more");
            }
            inaccessible.add(entry.toString());
            System.out.println("[axe] " + entry);
        }
    }

    private void assertAccessible(String test) {
        if (!inaccessible.isEmpty()) {
            String report = accessibilityReport(test);
            inaccessible.clear();
            fail(report);
        }
    }

    private String accessibilityReport(String test) {
        return inaccessible.size() + " accessibility violation(s) (axe-core, WCAG 2.x A/AA, serious or critical) on"
                + " the pages of " + test + ":\n" + String.join("\n", inaccessible);
    }

    // ---------------------------------------------------------------- console

    /**
     * Reads the console since the last read; fails on a Content-Security-Policy violation or a JavaScript error
     * (seen now or earlier in the class).
     */
    void assertConsoleClean(String where) {
        readConsole(where);
        if (!offending.isEmpty()) {
            List<String> found = List.copyOf(offending);
            offending.clear();
            fail("The browser's console reported a Content-Security-Policy violation or a JavaScript error, by "
                    + where + ":\n" + String.join("\n", found));
        }
    }

    private void readConsole(String where) {
        if (driver == null) {
            return;
        }
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (LogEntry entry : entries) {
            String line = Instant.ofEpochMilli(entry.getTimestamp()) + " " + entry.getLevel() + " [" + where + "] "
                    + entry.getMessage();
            lines.append(line).append('\n');
            System.out.println("[browser console] " + line);
            switch (kind(entry)) {
                case OFFENDING -> offending.add(line);
                case LIVE_FAILURE -> liveFailures.add(line);
                default -> {
                }
            }
        }
        try {
            Files.writeString(screenshots.resolve(prefix + "-console.log"), lines, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The live connection's failures seen since the last call (a refused {@code /app/live}, and the SSE error htmx
     * logs for it), which the console check does not count as script errors; cleared.
     */
    List<String> takeLiveFailures() {
        readConsole("a look at the live connection");
        List<String> taken = List.copyOf(liveFailures);
        liveFailures.clear();
        return taken;
    }

    enum Kind {
        OFFENDING,
        LIVE_FAILURE,
        OTHER
    }

    /**
     * {@link Kind#OFFENDING}: a Content-Security-Policy violation (Chromium logs "Refused to … because it violates the
     * following Content Security Policy directive"), an uncaught exception, or an error a page script logged
     * ({@code console.error}: htmx logs failed requests so). {@link Kind#LIVE_FAILURE}: the page's event stream
     * could not connect (the network's "/app/live - Failed to load resource", and htmx's log of the EventSource's
     * error {@code Event}): a failure of the connection, not of a script, checked where a test asserts the live
     * updates. Anything else (another resource that failed to load, logs) is shown, not counted.
     */
    static Kind kind(LogEntry entry) {
        String message = entry.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("content security policy") || lower.contains("content-security-policy")
                || lower.contains("refused to") || lower.contains("uncaught")) {
            return Kind.OFFENDING;
        }
        if (message.contains("/app/live - Failed to load resource")
                || message.matches(".*/htmx\\.min\\.js \\d+:\\d+ Event")) {
            return Kind.LIVE_FAILURE;
        }
        if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !lower.contains("failed to load resource")) {
            return Kind.OFFENDING;
        }
        return Kind.OTHER;
    }
}
