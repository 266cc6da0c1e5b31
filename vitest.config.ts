import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import ProcessSuitesFirst from "./vitest.sequencer.js";

const E2E = "apps/web/src/e2e/**/*.test.ts";

// "source" resolves workspace packages to their TypeScript sources, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ["source", ...defaultClientConditions] },
  ssr: {
    resolve: { conditions: ["source", ...defaultServerConditions], externalConditions: ["source"] },
  },
  test: {
    pool: "forks",
    // Two files at a time on 2 cores (Vitest's default is one fewer than the cores): most of a
    // process suite's time is spent waiting on its children, which leaves a core to the other.
    maxWorkers: 2,
    sequence: { sequencer: ProcessSuitesFirst },
    reporters: ["default", "./vitest.summary.ts"],
    testTimeout: 30_000,
    // Checks every HTTP answer the suites receive against the service's OpenAPI document.
    setupFiles: ["./vitest.response-check.ts"],
    globalSetup: ["./vitest.global-setup.ts"],
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "core/src/**/*.test.ts",
            "adapters/*/src/**/*.test.ts",
            "apps/*/src/**/*.test.ts",
            "apps/web/app/**/*.test.ts",
          ],
          exclude: [E2E],
          sequence: { groupOrder: 0 },
        },
      },
      // The browser journeys run alone, after the rest: Chromium and a whole shop on 2 cores
      // would otherwise slow every suite running beside them.
      { extends: true, test: { name: "e2e", include: [E2E], sequence: { groupOrder: 1 } } },
    ],
  },
});
