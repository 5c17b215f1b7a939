// Renders www/icons/*.svg to the PNG sizes the web manifest lists, with Chromium, so no image
// tool is needed. Run: node make-icons.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { launch } from './browser.mjs';

const icons = new URL('../../www/icons/', import.meta.url);
const jobs = [['icon.svg', 192, 'icon-192.png'], ['icon.svg', 512, 'icon-512.png'], ['icon-maskable.svg', 512, 'icon-maskable-512.png']];
const context = await launch();
const page = await context.newPage();
for (const [src, size, out] of jobs) {
  const svg = readFileSync(new URL(src, icons), 'utf8').replace(/width="64" height="64"/, `width="${size}" height="${size}"`);
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg}`);
  writeFileSync(new URL(out, icons), await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
  console.log('wrote', out);
}
await context.close();
