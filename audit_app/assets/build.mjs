// Builds the front-end assets into audit_app/static/dist: the stylesheet
// compiled from app.scss, GOV.UK Frontend's JavaScript, and the images and
// manifest it refers to. Fonts are deliberately not copied (see app.scss).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = join(here, "..", "static", "dist");
const frontend = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = sass.compile(join(here, "app.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), result.css);

cpSync(join(frontend, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(frontend, "assets", "images"), join(out, "images"), { recursive: true });
for (const script of ["init.mjs", "job-progress.mjs", "show-if.mjs", "file-limit.mjs"]) {
  cpSync(join(here, script), join(out, script));
}
console.log(`assets built in ${out}`);
