import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The renderer is one static build served by Electron (file://) and by web mode (http://127.0.0.1).
export default defineConfig({
  root: "renderer",
  base: "./",
  plugins: [react(), tailwindcss()],
  build: { outDir: "../dist/renderer", emptyOutDir: true, sourcemap: true },
});
