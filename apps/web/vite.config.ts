import { defaultClientConditions, defineConfig } from "vite";

// "source" resolves @mebel/core to its TypeScript, as everywhere else in the workspace.
export default defineConfig({
  resolve: { conditions: ["source", ...defaultClientConditions] },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
});
