// Bundles the console into OUT (argv[2]) with esbuild: OUT/index.html, OUT/app.js, OUT/app.css.
// Installs the pinned dependencies (package-lock.json, `npm ci`) first when node_modules is missing
// or was installed from another lockfile. Nothing is fetched at run time: the page works offline.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const major = Number(process.versions.node.split(".")[0]);
if (major < 20) {
  console.error(`ERROR: building the trailquery console needs Node.js 20 or newer (this is ${process.version})`);
  process.exit(1);
}
const out = resolve(process.argv[2] ?? join(here, "../../../target/classes/console"));

const lock = readFileSync(join(here, "package-lock.json"));
const digest = createHash("sha256").update(lock).digest("hex");
const stamp = join(here, "node_modules", ".trailquery-lock.sha256");
if (!existsSync(stamp) || readFileSync(stamp, "utf8").trim() !== digest) {
  console.error("console: npm ci (package-lock.json)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: here, stdio: "inherit" });
  writeFileSync(stamp, digest + "\n");
}

const esbuild = await import("esbuild");
mkdirSync(out, { recursive: true });
await esbuild.build({
  absWorkingDir: here,
  entryPoints: { app: "src/main.js" },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome110", "firefox110", "safari16"],
  outdir: out,
  legalComments: "linked",
  logLevel: "warning",
});
await esbuild.build({
  absWorkingDir: here,
  entryPoints: { app: "src/app.css" },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: "warning",
});
copyFileSync(join(here, "src", "index.html"), join(out, "index.html"));
