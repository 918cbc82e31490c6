import { defineProject, mergeConfig } from "vitest/config";
import viteConfig from "./vite.config.js";

// Component tests (jsdom + Testing Library); the root vitest.config.ts lists this project as "web".
export default mergeConfig(
  viteConfig,
  defineProject({
    resolve: { conditions: ["source"] },
    test: {
      name: "web",
      environment: "jsdom",
      include: ["src/**/*.test.{ts,tsx}"],
      setupFiles: ["./src/test/setup.ts"],
      testTimeout: 20_000,
    },
  }),
);
