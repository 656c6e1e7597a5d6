#!/usr/bin/env node
// Live reload of `gazette serve`, seen in a real Chromium.
//
//   node tests/browser/live-reload.mjs --url http://127.0.0.1:PORT --site DIR [--chromium PATH]
//
// --url is a running `gazette serve --root DIR` on a copy of the sample site (the files
// under DIR are edited). Without touching the browser, the page must:
//   1. show new text after its Markdown is saved;
//   2. show the error overlay (with file:line:col) after a save breaks the front matter,
//      and drop it after the fix;
//   3. take a stylesheet change, and an image change, without reloading;
// and then the language switcher must lead to the translation.
//
// Exit status: 0 when every check passes, 1 when one fails, 2 on bad usage or when the
// browser cannot be started. The last line is `live reload: N passed, M failed`.

import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const ARTICLE = 'content/news/2023-12-07-fuling-conference.md';
const STYLESHEET = 'themes/default/static/style.css';
const WAIT = { timeout: 15_000 };

function parseArgs(argv) {
  const opts = { chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (!key.startsWith('--') || value === undefined) usage(`bad argument ${key}`);
    opts[key.slice(2)] = value;
  }
  if (!opts.url || !opts.site) usage('--url and --site are required');
  return opts;
}

function usage(message) {
  console.error(`live-reload: ${message}\nusage: live-reload.mjs --url URL --site DIR [--chromium PATH]`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const file = (relative) => path.join(opts.site, relative);
const edit = (relative, from, to) => {
  const text = readFileSync(file(relative), 'utf8');
  if (!text.includes(from)) throw new Error(`${relative} does not contain ${from}`);
  writeFileSync(file(relative), text.replace(from, to));
};

let passed = 0;
let failed = 0;
async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`PASS ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}: ${err.message.split('\n')[0]}`);
  }
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: opts.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
    timeout: 60_000,
  });
} catch (err) {
  console.error(`live-reload: cannot start ${opts.chromium}: ${err.message}`);
  process.exit(2);
}
const page = await browser.newPage();
const connected = () =>
  page.waitForFunction(() => document.documentElement.dataset.gazetteLiveReload === 'connected', null, WAIT);

await check('the page connects to the live-reload socket', async () => {
  await page.goto(`${opts.url}/news/fuling-conference/`);
  await connected();
});

await check('a Markdown save shows the new text without touching the browser', async () => {
  edit(ARTICLE, '会议回顾了', '会议在浏览器里回顾了');
  await page.waitForFunction(() => document.body.innerText.includes('会议在浏览器里回顾了'), null, WAIT);
  await connected();
});

await check('a broken front matter shows the error overlay with file and line', async () => {
  edit(ARTICLE, 'date = 2023-12-07', 'date = "broken"');
  const overlay = page.locator('#gazette-error-overlay');
  await overlay.waitFor({ state: 'visible', ...WAIT });
  const where = await overlay.locator('.gazette-error-location').innerText();
  if (!where.endsWith('2023-12-07-fuling-conference.md:4:1')) throw new Error(`location: ${where}`);
  if (!(await page.locator('main').innerText()).includes('会议在浏览器里回顾了')) {
    throw new Error('the last good page should stay under the overlay');
  }
});

await check('the fix makes the overlay go', async () => {
  edit(ARTICLE, 'date = "broken"', 'date = 2023-12-07');
  await page.locator('#gazette-error-overlay').waitFor({ state: 'detached', ...WAIT });
  await connected();
});

await check('a stylesheet change applies without a reload', async () => {
  await page.evaluate(() => {
    window.gazetteSamePage = true;
  });
  const css = readFileSync(file(STYLESHEET), 'utf8');
  writeFileSync(file(STYLESHEET), `${css}\nbody { background-color: rgb(1, 2, 3); }\n`);
  await page.waitForFunction(
    () => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)',
    null,
    WAIT,
  );
  if (!(await page.evaluate(() => window.gazetteSamePage === true))) {
    throw new Error('the page reloaded');
  }
  writeFileSync(file(STYLESHEET), css);
  await page.waitForFunction(
    () => getComputedStyle(document.body).backgroundColor !== 'rgb(1, 2, 3)',
    null,
    WAIT,
  );
});

await check('an image change reloads that image only', async () => {
  const portrait = 'content/workers/zhao-fengxuan/portrait.svg';
  await page.goto(`${opts.url}/workers/zhao-fengxuan/`);
  await connected();
  await page.evaluate(() => {
    window.gazetteSamePage = true;
  });
  const svg = readFileSync(file(portrait), 'utf8');
  writeFileSync(file(portrait), svg.replace('</svg>', '<!-- edited --></svg>'));
  await page.waitForFunction(
    () => [...document.images].some((img) => img.src.includes('portrait.svg?gazette-reload=')),
    null,
    WAIT,
  );
  if (!(await page.evaluate(() => window.gazetteSamePage === true))) {
    throw new Error('the page reloaded');
  }
  await page.goBack();
});

await check('the language switcher leads to the translation', async () => {
  await page.locator('.lang-switch a[hreflang="en"]').click();
  await page.waitForURL(`${opts.url}/en/news/fuling-conference/`, WAIT);
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (lang !== 'en') throw new Error(`html lang is ${lang}`);
});

await browser.close();
console.log(`live reload: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
