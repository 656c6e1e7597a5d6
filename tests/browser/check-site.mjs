#!/usr/bin/env node
// Browser checks for a site built by Gazette.
//
//   node tests/browser/check-site.mjs --dir public [--port 8123] [--base-url URL]
//        [--screenshots DIR] [--article /news/fuling-conference/] [--chromium PATH]
//
// Serves --dir on 127.0.0.1 (an ephemeral port unless --port is given), drives
// Chromium through playwright-core and checks:
//   a. the language switcher (zh home <-> /en/, and a zh article <-> its English twin);
//   b. axe-core WCAG 2.0/2.1 A + AA on every HTML page, at a desktop and a phone width,
//      plus: no sideways scrolling at 320 px (WCAG 1.4.10 Reflow), no failed or external
//      requests, no console errors, no broken internal links or fragment targets;
//   c. screenshots of both home pages at 1280 and 390 px (only with --screenshots).
//
// --base-url is the base URL the site was built with. It defaults to the server's own
// address (build with `--base-url http://127.0.0.1:PORT` and pass the same --port);
// any other origin is answered from --dir inside the browser, so a site built for
// https://example.org can be checked too.
//
// Exit status: 0 when every check passes, 1 when some fail, 2 on bad usage or when
// the browser cannot be started. The last line is `browser: N passed, M failed`.

import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800, isMobile: false },
  { name: 'mobile', width: 390, height: 844, isMobile: true },
];
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

// ---------------------------------------------------------------- arguments

function usage(message) {
  if (message) console.error(`check-site: ${message}`);
  console.error(
    'usage: node tests/browser/check-site.mjs --dir DIR [--port N] [--base-url URL]\n' +
      '         [--screenshots DIR] [--article PATH] [--chromium PATH]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    dir: null,
    port: 0,
    baseUrl: null,
    screenshots: null,
    article: '/news/fuling-conference/',
    chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
  const keys = {
    '--dir': 'dir',
    '--port': 'port',
    '--base-url': 'baseUrl',
    '--screenshots': 'screenshots',
    '--article': 'article',
    '--chromium': 'chromium',
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (arg === '-h' || arg === '--help') usage();
    const key = keys[arg];
    if (!key) usage(`unknown argument ${arg}`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) usage(`${arg} needs a value`);
    }
    opts[key] = value;
  }
  if (!opts.dir) usage('--dir is required');
  opts.dir = path.resolve(opts.dir);
  if (!existsSync(path.join(opts.dir, 'index.html'))) usage(`${opts.dir}/index.html does not exist`);
  opts.port = Number(opts.port);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('bad --port');
  if (opts.screenshots) opts.screenshots = path.resolve(opts.screenshots);
  if (!opts.article.startsWith('/')) opts.article = `/${opts.article}`;
  if (!opts.article.endsWith('/')) opts.article += '/';
  return opts;
}

// ---------------------------------------------------------------- static files

/// Maps a URL path (below the site's base path, still percent-encoded) to a response.
function resolveFile(root, encodedPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(encodedPath);
  } catch {
    return { status: 400, type: TYPES['.txt'], body: Buffer.from('bad percent-encoding\n') };
  }
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s.includes('\\') || s.includes('\0'))) {
    return { status: 403, type: TYPES['.txt'], body: Buffer.from('forbidden\n') };
  }
  let file = path.join(root, ...segments);
  if (file !== root && !file.startsWith(root + path.sep)) {
    return { status: 403, type: TYPES['.txt'], body: Buffer.from('forbidden\n') };
  }
  let stat = statOrNull(file);
  if (stat && stat.isDirectory()) {
    if (!decoded.endsWith('/')) return { status: 301, location: `${encodedPath}/` };
    file = path.join(file, 'index.html');
    stat = statOrNull(file);
  }
  if (stat && stat.isFile()) {
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    return { status: 200, type, body: readFileSync(file), file };
  }
  // Like a real host: the site's own 404 page (the English one below /en/).
  const lang = segments[1] && existsSync(path.join(root, segments[1], '404.html')) ? segments[1] : '';
  const page = path.join(root, lang, '404.html');
  if (existsSync(page)) return { status: 404, type: TYPES['.html'], body: readFileSync(page) };
  return { status: 404, type: TYPES['.txt'], body: Buffer.from('not found\n') };
}

function statOrNull(file) {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

function startServer(root, basePath, port) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    // `new URL` already resolves dot segments; refuse them outright all the same.
    const rawPath = req.url.split(/[?#]/)[0];
    let result;
    if (rawPath.split('/').some((s) => /^(?:\.|%2e){2}$/i.test(s))) {
      result = { status: 403, type: TYPES['.txt'], body: Buffer.from('forbidden\n') };
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      result = { status: 405, type: TYPES['.txt'], body: Buffer.from('method not allowed\n') };
    } else if (!url.pathname.startsWith(basePath)) {
      result = url.pathname === basePath.slice(0, -1)
        ? { status: 301, location: basePath }
        : { status: 404, type: TYPES['.txt'], body: Buffer.from('not found\n') };
    } else {
      result = resolveFile(root, `/${url.pathname.slice(basePath.length)}`);
      if (result.location) result.location = basePath + result.location.slice(1) + url.search;
    }
    if (result.location) {
      res.writeHead(result.status, { Location: result.location });
      res.end();
      return;
    }
    res.writeHead(result.status, {
      'Content-Type': result.type,
      'Content-Length': result.body.length,
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : result.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/// Every HTML file below `root`, as URL paths relative to the base path ("" for the home).
function htmlPages(root) {
  const pages = [];
  const walk = (dir, rel) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const childRel = [...rel, entry.name];
      if (entry.isDirectory()) walk(path.join(dir, entry.name), childRel);
      else if (entry.isFile() && entry.name.endsWith('.html')) {
        const encoded = childRel.map(encodeURIComponent);
        if (entry.name === 'index.html') encoded[encoded.length - 1] = '';
        pages.push(encoded.join('/'));
      }
    }
  };
  walk(root, []);
  // Home pages first: the most visible, and the switcher test uses them.
  return pages.sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
}

// ---------------------------------------------------------------- checks

class Report {
  constructor() {
    this.passed = 0;
    this.failed = [];
  }
  pass(name) {
    this.passed++;
    if (process.env.CHECK_SITE_VERBOSE) console.log(`ok    ${name}`);
  }
  fail(name, details) {
    this.failed.push(name);
    console.log(`FAIL  ${name}`);
    for (const line of [].concat(details)) console.log(`        ${line}`);
  }
  async run(name, fn) {
    try {
      const problems = (await fn()) || [];
      if (problems.length) this.fail(name, problems);
      else this.pass(name);
    } catch (err) {
      this.fail(name, String((err && err.stack) || err).split('\n').slice(0, 6));
    }
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function main() {
  const started = Date.now();
  const opts = parseArgs(process.argv.slice(2));

  let base = opts.baseUrl ? new URL(opts.baseUrl) : null;
  const basePath = base ? (base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`) : '/';
  const server = await startServer(opts.dir, basePath, opts.port);
  const port = server.address().port;
  const serverOrigin = `http://127.0.0.1:${port}`;
  if (!base) base = new URL(basePath, serverOrigin);
  const siteOrigin = base.origin;
  const siteRoot = new URL(basePath, siteOrigin).href; // always ends with "/"
  const pages = htmlPages(opts.dir);
  console.log(
    `check-site: ${pages.length} HTML pages in ${opts.dir}, served at ${serverOrigin}${basePath}` +
      (siteOrigin !== serverOrigin ? ` (as ${siteRoot})` : ''),
  );

  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (err) {
    console.error(`check-site: cannot load playwright-core (run \`npm ci\`): ${err.message}`);
    process.exit(2);
  }
  const axePath = path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js');
  if (!existsSync(axePath)) {
    console.error(`check-site: ${axePath} is missing (run \`npm ci\`)`);
    process.exit(2);
  }
  if (!existsSync(opts.chromium)) {
    console.error(`check-site: no Chromium at ${opts.chromium} (apt-get install chromium)`);
    process.exit(2);
  }

  let browser;
  try {
    browser = await chromium.launch({ executablePath: opts.chromium, args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (err) {
    console.error(`check-site: cannot start ${opts.chromium}: ${err.message}`);
    process.exit(2);
  }

  const report = new Report();
  const watchdog = setTimeout(() => {
    console.log('FAIL  check-site timed out after 10 minutes');
    console.log(`browser: ${report.passed} passed, ${report.failed.length + 1} failed`);
    process.exit(1);
  }, 600_000);
  watchdog.unref();

  // One browser context per viewport; each runs its pages one at a time and keeps the
  // bookkeeping of the current page in its `state`, filled in by the listeners below.
  const contexts = {};
  const states = {};
  for (const vp of VIEWPORTS) {
    const state = { external: new Set(), failedRequests: [], consoleErrors: [], onlyNavigation: null };
    states[vp.name] = state;
    const context = await browser.newContext({
      viewport: { width: vp.width, height: vp.height },
      isMobile: vp.isMobile,
      hasTouch: vp.isMobile,
      deviceScaleFactor: 1,
      locale: 'zh-CN',
      reducedMotion: 'reduce',
      serviceWorkers: 'block',
    });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(20_000);
    await context.route('**/*', async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      if (state.onlyNavigation && request.isNavigationRequest() && request.url() !== state.onlyNavigation) {
        return route.abort('aborted'); // e.g. a redirect page's meta refresh while being audited
      }
      if (url.origin === serverOrigin) return route.continue();
      if (url.origin === siteOrigin) {
        // The site was built for another host: answer from disk.
        const result = url.pathname.startsWith(basePath)
          ? resolveFile(opts.dir, `/${url.pathname.slice(basePath.length)}`)
          : { status: 404, type: TYPES['.txt'], body: Buffer.from('not found\n') };
        if (result.location) {
          return route.fulfill({ status: result.status, headers: { location: basePath + result.location.slice(1) } });
        }
        return route.fulfill({ status: result.status, contentType: result.type, body: result.body });
      }
      state.external.add(url.href);
      return route.abort('blockedbyclient');
    });
    contexts[vp.name] = context;
  }

  const watch = (page, state) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') state.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => state.consoleErrors.push(`uncaught: ${err.message}`));
    page.on('requestfailed', (req) => {
      const failure = req.failure() ? req.failure().errorText : 'failed';
      if (failure.includes('ERR_ABORTED') && state.onlyNavigation && req.isNavigationRequest()) return;
      if (failure.includes('ERR_BLOCKED_BY_CLIENT')) return; // reported as external
      state.failedRequests.push(`${req.url()} (${failure})`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400 && res.request().resourceType() !== 'document') {
        state.failedRequests.push(`${res.url()} (HTTP ${res.status()})`);
      }
    });
    return page;
  };
  const resetState = (state) => {
    state.external.clear();
    state.failedRequests.length = 0;
    state.consoleErrors.length = 0;
  };

  const url = (rel) => new URL(rel.replace(/^\//, ''), siteRoot).href;
  const relPath = (href) => {
    const u = new URL(href);
    return u.origin === siteOrigin && u.pathname.startsWith(basePath) ? `/${u.pathname.slice(basePath.length)}` : href;
  };
  const htmlLang = (page) => page.evaluate(() => document.documentElement.getAttribute('lang') || '');
  const switcherLink = async (page, lang) => {
    // Prefer the switcher in the page header; fall back to any hreflang link.
    for (const sel of [`header a[hreflang="${lang}"]`, `nav a[hreflang="${lang}"]`, `a[hreflang="${lang}"]`]) {
      const link = page.locator(sel).first();
      if ((await link.count()) && (await link.isVisible())) return link;
    }
    throw new Error(`no visible <a hreflang="${lang}"> on ${relPath(page.url())}`);
  };
  const follow = async (page, link) => {
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before, { waitUntil: 'load' }), link.click()]);
  };

  // ---- a. language switcher, on both viewports (the phone layout may hide the switcher).
  for (const vp of VIEWPORTS) {
    const page = watch(await contexts[vp.name].newPage(), states[vp.name]);
    await report.run(`switcher home zh -> en -> zh @${vp.name}`, async () => {
      await page.goto(url('/'));
      assert((await htmlLang(page)).startsWith('zh'), `zh home has <html lang="${await htmlLang(page)}">`);
      await follow(page, await switcherLink(page, 'en'));
      assert(relPath(page.url()) === '/en/', `English link led to ${relPath(page.url())}, expected /en/`);
      assert((await htmlLang(page)) === 'en', `/en/ has <html lang="${await htmlLang(page)}">, expected "en"`);
      await follow(page, await switcherLink(page, 'zh'));
      assert(relPath(page.url()) === '/', `Chinese link on /en/ led to ${relPath(page.url())}, expected /`);
      assert((await htmlLang(page)).startsWith('zh'), `zh home has <html lang="${await htmlLang(page)}">`);
    });
    await report.run(`switcher article ${opts.article} @${vp.name}`, async () => {
      await page.goto(url(opts.article));
      assert((await htmlLang(page)).startsWith('zh'), `${opts.article} has <html lang="${await htmlLang(page)}">`);
      const zhTitle = (await page.locator('h1').first().innerText()).trim();
      assert(zhTitle, `${opts.article} has an empty h1`);
      await follow(page, await switcherLink(page, 'en'));
      const expected = `/en${opts.article}`;
      assert(relPath(page.url()) === expected, `English link led to ${relPath(page.url())}, expected ${expected}`);
      assert((await htmlLang(page)) === 'en', `${expected} has <html lang="${await htmlLang(page)}">`);
      const enTitle = (await page.locator('h1').first().innerText()).trim();
      assert(enTitle, `${expected} has an empty h1`);
      assert(enTitle !== zhTitle, `${expected} has the same h1 as the zh page: "${enTitle}"`);
      await follow(page, await switcherLink(page, 'zh'));
      assert(relPath(page.url()) === opts.article, `Chinese link led to ${relPath(page.url())}, expected ${opts.article}`);
      const backTitle = (await page.locator('h1').first().innerText()).trim();
      assert(backTitle === zhTitle, `back on ${opts.article} the h1 is "${backTitle}", expected "${zhTitle}"`);
    });
    await page.close();
  }

  // ---- b. every page: axe, requests, console, links.
  const idsCache = new Map();
  const idsOf = (file) => {
    if (!idsCache.has(file)) {
      const html = readFileSync(file, 'utf8');
      const ids = new Set();
      for (const m of html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi)) {
        ids.add(decodeEntities(m[1] ?? m[2] ?? m[3]));
      }
      idsCache.set(file, ids);
    }
    return idsCache.get(file);
  };
  let axeViolations = 0;
  const auditAll = async (vp) => {
    const state = states[vp.name];
    const page = watch(await contexts[vp.name].newPage(), state);
    for (const rel of pages) {
      const label = `/${decodeURI(rel)}`;
      resetState(state);
      let loaded = false;
      await report.run(`load ${label} @${vp.name}`, async () => {
        // Stay on this page while auditing it (redirect pages would move on).
        state.onlyNavigation = url(rel);
        const res = await page.goto(url(rel), { waitUntil: 'load' });
        assert(res, 'no response');
        assert(res.status() === 200, `HTTP ${res.status()}`);
        loaded = true;
        await page.evaluate(() => document.fonts && document.fonts.ready);
        const problems = [];
        for (const e of state.external) problems.push(`external request (blocked): ${e}`);
        for (const f of state.failedRequests) problems.push(`failed request: ${f}`);
        for (const c of state.consoleErrors) {
          // Failed loads are reported above, with their URL.
          if (!c.startsWith('Failed to load resource')) problems.push(`console error: ${c}`);
        }
        return problems;
      });
      if (!loaded) {
        state.onlyNavigation = null;
        continue;
      }
      await report.run(`axe ${label} @${vp.name}`, async () => {
        assert(page.url() === url(rel), `the page navigated away to ${page.url()}`);
        await page.addScriptTag({ path: axePath });
        const results = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
          AXE_TAGS,
        );
        const problems = [];
        for (const v of results.violations) {
          axeViolations++;
          problems.push(`${v.id} [${v.impact}] ${v.help} (${v.helpUrl.replace(/\?.*$/, '')})`);
          for (const node of v.nodes.slice(0, 8)) {
            problems.push(`    ${node.target.join(' ')}: ${oneLine(node.failureSummary || '')}`);
          }
          if (v.nodes.length > 8) problems.push(`    ... and ${v.nodes.length - 8} more nodes`);
        }
        return problems;
      });
      // WCAG 2.1 SC 1.4.10 (Reflow, AA), which axe cannot test: at 320 CSS px the page
      // must not scroll sideways.
      if (vp.isMobile) {
        await report.run(`reflow ${label} @320px`, async () => {
          await page.setViewportSize({ width: 320, height: 640 });
          try {
            const overflow = await page.evaluate(() => {
              const width = document.documentElement.clientWidth;
              if (document.documentElement.scrollWidth <= width + 1) return null;
              const culprits = [];
              for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.right > width + 1 && el.parentElement && el.parentElement.getBoundingClientRect().right <= width + 1) {
                  const cls = el.getAttribute('class') ? `.${el.getAttribute('class').trim().split(/\s+/).join('.')}` : '';
                  culprits.push(`${el.localName}${cls} (right edge ${Math.round(r.right)}px)`);
                }
              }
              return { scrollWidth: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 8) };
            });
            if (!overflow) return [];
            return [
              `page is ${overflow.scrollWidth}px wide at a ${overflow.width}px viewport`,
              ...overflow.culprits.map((c) => `    overflowing: ${c}`),
            ];
          } finally {
            await page.setViewportSize({ width: vp.width, height: vp.height });
          }
        });
      }
      // Links only once: they do not depend on the viewport.
      if (vp === VIEWPORTS[0]) {
        await report.run(`links ${label}`, async () => {
          const hrefs = await page.evaluate(() =>
            [...document.querySelectorAll('a[href], area[href], link[href], img[src], script[src], source[src]')].map(
              (el) => el.href || el.src,
            ),
          );
          const problems = [];
          const pageUrl = new URL(page.url());
          // The hreflang alternate that points at this page must name the page's language.
          const langs = await page.evaluate(() => ({
            html: document.documentElement.getAttribute('lang') || '',
            self: [...document.querySelectorAll('link[rel~="alternate"][hreflang]')]
              .filter((l) => l.href === location.href.replace(/#.*$/, '') && l.hreflang !== 'x-default')
              .map((l) => l.hreflang),
          }));
          for (const hreflang of langs.self) {
            if (hreflang.toLowerCase() !== langs.html.toLowerCase()) {
              problems.push(`<link rel="alternate" hreflang="${hreflang}"> points here, but <html lang="${langs.html}">`);
            }
          }
          for (const href of new Set(hrefs)) {
            let target;
            try {
              target = new URL(href);
            } catch {
              problems.push(`unparsable link: ${href}`);
              continue;
            }
            if (target.origin !== siteOrigin && target.origin !== serverOrigin) continue; // external
            if (!target.pathname.startsWith(basePath)) {
              problems.push(`link outside the site's base path: ${href}`);
              continue;
            }
            const result = resolveFile(opts.dir, `/${target.pathname.slice(basePath.length)}`);
            if (result.status === 301) {
              problems.push(`link without trailing slash: ${decodeURI(href)}`);
              continue;
            }
            if (result.status !== 200) {
              problems.push(`broken link (HTTP ${result.status}): ${decodeURI(href)}`);
              continue;
            }
            if (target.hash.length > 1 && result.file.endsWith('.html')) {
              const id = safeDecode(target.hash.slice(1));
              const samePage = target.pathname === pageUrl.pathname;
              const found = samePage
                ? await page.evaluate((id) => !!(document.getElementById(id) || document.getElementsByName(id).length), id)
                : idsOf(result.file).has(id);
              if (!found) problems.push(`missing fragment target: ${decodeURI(href)}`);
            }
          }
          return problems;
        });
      }
      state.onlyNavigation = null;
    }
    await page.close();
  };
  // Both viewports at once: the browser spends much of its time waiting on itself.
  await Promise.all(VIEWPORTS.map(auditAll));

  // ---- c. screenshots, for humans.
  if (opts.screenshots) {
    mkdirSync(opts.screenshots, { recursive: true });
    for (const [lang, rel] of [['zh', '/'], ['en', '/en/']]) {
      for (const vp of VIEWPORTS) {
        const file = path.join(opts.screenshots, `home-${lang}-${vp.width}.png`);
        await report.run(`screenshot ${file}`, async () => {
          const page = await contexts[vp.name].newPage();
          try {
            await page.goto(url(rel), { waitUntil: 'load' });
            // A full-page shot shows images below the fold: load the lazy ones first.
            await page.evaluate(async () => {
              for (const img of document.images) img.loading = 'eager';
              await Promise.all([...document.images].map((img) => img.decode().catch(() => {})));
              if (document.fonts) await document.fonts.ready;
            });
            await page.screenshot({ path: file, fullPage: true });
          } finally {
            await page.close();
          }
        });
      }
    }
    console.log(`check-site: screenshots in ${opts.screenshots}`);
  }

  await browser.close();
  server.close();
  clearTimeout(watchdog);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `check-site: ${pages.length} pages x ${VIEWPORTS.length} viewports, ${axeViolations} axe violations, ${seconds}s`,
  );
  console.log(`browser: ${report.passed} passed, ${report.failed.length} failed`);
  process.exit(report.failed.length ? 1 : 0);
}

function oneLine(s) {
  return s.replace(/\s+/g, ' ').trim();
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function decodeEntities(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
});
