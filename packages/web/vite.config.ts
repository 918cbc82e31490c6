import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The master `npm run dev` proxies /api and /auth to (start one with `npm start` at the root). */
const master = process.env.HAMASTER_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "/",
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: {
      "@/": here("./src/"),
      // Plain keyword tables without Node imports; the package root would pull in node:crypto.
      "@ha-master/shared/haproxy-keywords": here("../shared/src/haproxy/keywords.generated.ts"),
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The editor (CodeMirror) is loaded lazily; the initial bundle stays small (npm run bench:web).
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      "/api": { target: master, changeOrigin: false },
      "/auth": { target: master, changeOrigin: false },
    },
  },
});
