import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's `chromium` package, or the binary `CHROMIUM_PATH` names: never a downloaded build. */
const given = process.env.CHROMIUM_PATH;
const candidates =
  given !== undefined && given !== ""
    ? [given]
    : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

export const chromiumPath: string | undefined = candidates.find((p) => existsSync(p));

export const noChromiumReason =
  "no Chromium found (install Debian's chromium package, or set CHROMIUM_PATH)";

export const launchChromium = (): Promise<Browser> => {
  if (chromiumPath === undefined) throw new Error(noChromiumReason);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // CI runs as root, where Chromium's sandbox cannot start.
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    timeout: 30_000,
  });
};
