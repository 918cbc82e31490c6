import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Writes `.br` and `.gz` next to every text file of the build, once, at build time: the master
 * serves them as they are (@fastify/static `preCompressed`), and so can nginx (`gzip_static`).
 */
function precompress(): Plugin {
  let outDir = "";
  return {
    name: "ha-master:precompress",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir.startsWith("/") ? config.build.outDir : join(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
      for (const file of walk(outDir).filter((f) => /\.(js|css|html|svg|json)$/.test(f))) {
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

/** The master `npm run dev` proxies /api and /auth to (start one with `npm start` at the root). */
const master = process.env.HAMASTER_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "/",
  plugins: [react(), tailwindcss(), precompress()],
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
