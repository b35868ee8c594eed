/**
 * The HTML report in a real browser: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens the report the CLI wrote, with every network request refused, checks
 * what it shows and saves a screenshot (.ci/artifacts/html-report.png, or $REPORT_SCREENSHOT).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { gitRepo, removeTemp, ROOT, runCli, tempDir } from "../cli/helpers";
import { REPORTED_FILES } from "../report/repository";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOT = process.env.REPORT_SCREENSHOT ?? path.join(ROOT, ".ci", "artifacts", "html-report.png");
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let repo: string;
let profile: string;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const problems: string[] = [];
let report: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  repo = gitRepo(REPORTED_FILES);
  report = path.join(tempDir("cm-html-"), "report.html");
  const r = await runCli(["migrate", "--dry", "--report", report, "."], { cwd: repo });
  // The broken file fails: exit 1, and the report says so.
  expect(r.code).toBe(1);
  profile = tempDir("cm-chromium-profile-");
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  // The page must need nothing but itself: any other request is refused and recorded.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    return url === pathToFileURL(report).href ? route.continue() : route.abort();
  });
  page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(pathToFileURL(report).href);
});

afterAll(async () => {
  await context?.close();
  for (const dir of [profile, report && path.dirname(report), repo]) if (dir) removeTemp(dir);
});

const text = async (selector: string): Promise<string> => ((await page.locator(selector).first().textContent()) ?? "").trim();

describe("the HTML report in Chromium", () => {
  it("loads without fetching anything and without errors", () => {
    expect(requests).toEqual([pathToFileURL(report).href]);
    expect(problems).toEqual([]);
  });

  it("shows the totals", async () => {
    expect(await page.title()).toBe("cohere-migrate report");
    expect(await text("#mode")).toContain("Dry run: nothing was written.");
    expect(await text('[data-total="migrated"] dd')).toBe("2");
    // The two migrated files and the helper module they import chatText from.
    expect(await text('[data-total="changed"] dd')).toBe("3");
    expect(await text('[data-total="failed"] dd')).toBe("1");
    expect(await text('[data-total="findings"] dd')).toBe("1");
  });

  it("lists the marker to finish by hand, with its place and what to do", async () => {
    const row = page.locator('#left-table tr.left-item[data-rule="marker/preset"]');
    await expect(row.count()).resolves.toBe(1);
    expect(await row.textContent()).toMatch(/src\/preset\.ts:\d+:\d+.*preset.*Chat has no presets/s);
    expect(await text("#failed")).toContain("src/broken.ts");
  });

  it("renders every diff with diff2html's styles applied", async () => {
    const files = page.locator(".d2h-file-wrapper");
    await expect(files.count()).resolves.toBe(3);
    for (const f of await files.all()) expect(await f.isVisible()).toBe(true);
    // An added line is green only if the inlined diff2html stylesheet applied.
    const added = await page.locator("td.d2h-ins").first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(added).not.toBe("rgba(0, 0, 0, 0)");
    expect(await page.locator(".d2h-code-line-ctn", { hasText: "co.chat(" }).count()).toBeGreaterThan(0);
  });

  it("highlights the marker line in the diff", async () => {
    const marker = page.locator('tr.cm-marker-row[data-marker="preset"]');
    await expect(marker.count()).resolves.toBe(1);
    expect(await marker.isVisible()).toBe(true);
    const colour = await marker.locator("td").last().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(colour).toBe("rgb(255, 248, 197)");
    expect(await marker.textContent()).toContain("cohere-migrate: preset");
  });

  it("links a place in the list to its file's diff", async () => {
    await page.locator('#left-table a[href^="#file-"]').first().click();
    const target = new URL(page.url()).hash;
    // Diffs in path order from 1: src/cohere-chat.ts, src/plain.ts, src/preset.ts.
    expect(target).toBe("#file-3");
    expect(await page.locator(`${target}[data-file="src/preset.ts"]`).isVisible()).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it("saves a screenshot", async () => {
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = fs.readFileSync(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(20_000);
  });
});
