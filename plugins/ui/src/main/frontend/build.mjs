// Bundles the app with esbuild into content-hashed files and writes index.html pointing at them.
// Usage: node build.mjs [output directory]; Maven passes the plugin's class output directory.
import * as esbuild from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, process.argv[2] ?? '../../../target/classes/io/strata/plugin/ui/internal/assets');

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await esbuild.build({
  entryPoints: [path.join(here, 'src/main.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  outdir,
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});

let script;
let stylesheet;
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (output.entryPoint) {
    script = path.basename(file);
    stylesheet = output.cssBundle && path.basename(output.cssBundle);
  }
}
if (!script || !stylesheet) {
  throw new Error('esbuild produced no script or stylesheet: ' + Object.keys(result.metafile.outputs).join(', '));
}
const html = (await readFile(path.join(here, 'index.html'), 'utf8'))
  .replace('%SCRIPT%', '/static/' + script)
  .replace('%STYLESHEET%', '/static/' + stylesheet);
await writeFile(path.join(outdir, 'index.html'), html);
console.log(`strata-ui: ${script}, ${stylesheet}, index.html in ${outdir}`);
