// Screenshots of one page (or one element of it) in the light scheme, the dark scheme and
// forced colours, for looking at what the checks cannot judge.
// usage: node shot.mjs URL OUT_PREFIX [--width 800] [--selector CSS] [--print]
// Writes OUT_PREFIX-light.png, -dark.png, -forced.png (and -print.pdf with --print).
import { chromium } from "playwright-core";

const [url, out, ...rest] = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = rest.indexOf(name);
  return i < 0 ? dflt : rest[i + 1];
};
const width = Number(opt("--width", "800"));
const selector = opt("--selector", null);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  for (const [name, media] of [
    ["light", { colorScheme: "light", forcedColors: "none" }],
    ["dark", { colorScheme: "dark", forcedColors: "none" }],
    ["forced", { colorScheme: "dark", forcedColors: "active" }],
  ]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.emulateMedia(media);
    await page.goto(url, { waitUntil: "load" });
    const target = selector ? page.locator(selector).first() : page;
    await target.screenshot({ path: `${out}-${name}.png`, ...(selector ? {} : { fullPage: false }) });
    await page.close();
  }
  if (rest.includes("--print")) {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: "load" });
    await page.pdf({ path: `${out}-print.pdf`, format: "A4" });
    await page.close();
  }
} finally {
  await browser.close();
}
