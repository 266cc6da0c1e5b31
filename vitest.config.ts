import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// "source" resolves workspace packages to their TypeScript sources, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ["source", ...defaultClientConditions] },
  ssr: {
    resolve: { conditions: ["source", ...defaultServerConditions], externalConditions: ["source"] },
  },
  test: {
    include: [
      "core/src/**/*.test.ts",
      "adapters/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "apps/web/app/**/*.test.ts",
    ],
    pool: "forks",
    reporters: ["default", "./vitest.summary.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
