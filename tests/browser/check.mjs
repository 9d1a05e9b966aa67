// check.mjs — browser checks for a built static site. Run through run.sh, which installs
// Debian's chromium, Java and the pinned npm packages first. See README.md.
//   node check.mjs SITE_DIR [--base-path /p/] [--port 8357] [--base-url URL]
//        [--screenshots DIR] [--pages "label=path,..."] [--concurrency N]
// Checks every *.html/*.htm under SITE_DIR: axe-core (WCAG 2.x A/AA + best-practice; contrast
// again in the dark colour scheme), internal
// links and #fragments, horizontal overflow at 320 px, Nu HTML checker. Exit 1 on any failure.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const AXE_SOURCE = fs.readFileSync(path.join(HERE, 'node_modules/axe-core/axe.min.js'), 'utf8');
const VNU_JAR = path.join(HERE, 'node_modules/vnu-jar/build/dist/vnu.jar');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // offline machine: every non-loopback host fails to resolve at once instead of hanging
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];
const MIME = { '.html': 'text/html', '.htm': 'text/html', '.css': 'text/css', '.js': 'text/javascript',
  '.mjs': 'text/javascript', '.json': 'application/json', '.xml': 'application/xml', '.txt': 'text/plain',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.avif': 'image/avif', '.ico': 'image/x-icon', '.woff': 'font/woff',
  '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.otf': 'font/otf', '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json', '.map': 'application/json', '.wasm': 'application/wasm' };

function die(msg) { process.stderr.write(`check: ${msg}\n`); process.exit(2); }

// ---- options ----
const opt = { site: null, basePath: '/', port: 8357, screenshots: null, pages: null, concurrency: 2, search: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  let [a, v] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
  const val = () => v ?? (i + 1 < argv.length ? argv[++i] : die(`${a} needs a value`));
  if (a === '--base-path') opt.basePath = val();
  else if (a === '--port') opt.port = Number(val());
  else if (a === '--base-url') {
    const u = new URL(val());
    if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1') die('--base-url must be http://127.0.0.1:PORT/path/');
    opt.port = Number(u.port || 80); opt.basePath = u.pathname;
  } else if (a === '--screenshots') opt.screenshots = path.resolve(val());
  else if (a === '--pages') opt.pages = val();
  // --search "待機児童=osaka/kita/indicators/x/@2;防災=…": typed into search/, that page within the first N
  // results (the first without @N); and the first result of each query is one of the pages given for it
  else if (a === '--search') opt.search = val();
  else if (a === '--concurrency') opt.concurrency = Math.max(1, Number(val()) || 2);
  else if (a.startsWith('-')) die(`unknown option ${a}`);
  else if (!opt.site) opt.site = a;
  else die(`unexpected argument ${a}`);
}
if (opt.pages && !opt.screenshots) process.stderr.write('check: --pages is only used with --screenshots DIR\n');
if (!opt.site) die('usage: check.mjs SITE_DIR [--base-path /p/] [--port N] [--screenshots DIR] [--pages "l=path,..."]');
if (!Number.isInteger(opt.port) || opt.port < 1 || opt.port > 65535) die('bad --port');
const ROOT = path.resolve(opt.site);
if (!fs.statSync(ROOT, { throwIfNoEntry: false })?.isDirectory()) die(`${ROOT} is not a directory`);
const BASE = ('/' + opt.basePath + '/').replace(/\/+/g, '/');
const ORIGIN = `http://127.0.0.1:${opt.port}`;
const SITE_URL = ORIGIN + BASE;
const AXE_PATH = '/__mieruka_check/axe.min.js', AXE_URL = ORIGIN + AXE_PATH;

// ---- site files and URL <-> file mapping ----
function findHtml(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...findHtml(path.join(dir, e.name), r));
    else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(r);
  }
  return out.sort();
}
// pathname below the base path ('/a/b.html') -> { file, redirect } or null
function resolveFile(subPath) {
  let p;
  try { p = decodeURIComponent(subPath); } catch { return null; }
  if (p.includes('\0')) return null;
  const full = path.join(ROOT, path.posix.normalize('/' + p));
  if (full !== ROOT && !full.startsWith(ROOT + path.sep)) return null;
  const st = fs.statSync(full, { throwIfNoEntry: false });
  if (st?.isFile()) return p.endsWith('/') ? null : { file: full };
  if (st?.isDirectory() && fs.existsSync(path.join(full, 'index.html')))
    return { file: path.join(full, 'index.html'), redirect: !p.endsWith('/') };
  return null;
}
function urlToFile(u) { // URL object on our origin -> site-relative file path or null
  if (u.origin !== ORIGIN || !u.pathname.startsWith(BASE)) return null;
  const r = resolveFile(u.pathname.slice(BASE.length - 1));
  return r ? path.relative(ROOT, r.file).split(path.sep).join('/') : null;
}
function pageUrl(rel) {
  const enc = rel.split('/').map(encodeURIComponent).join('/');
  return SITE_URL + (enc === 'index.html' ? '' : enc.replace(/(^|\/)index\.html$/, '$1'));
}

// ---- static server: SITE_DIR mounted at BASE on 127.0.0.1:PORT ----
function startServer() {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, ORIGIN);
    const notFound = () => {
      const f404 = path.join(ROOT, '404.html');
      const has = fs.existsSync(f404);
      res.writeHead(404, { 'Content-Type': has ? 'text/html' : 'text/plain' });
      res.end(req.method === 'HEAD' ? undefined : has ? fs.readFileSync(f404) : 'not found');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405); return res.end(); }
    if (u.pathname === AXE_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'max-age=3600' });
      return res.end(AXE_SOURCE);
    }
    if (u.pathname + '/' === BASE) { res.writeHead(301, { Location: BASE + u.search }); return res.end(); }
    if (!u.pathname.startsWith(BASE)) return notFound();
    const r = resolveFile(u.pathname.slice(BASE.length - 1));
    if (!r) return notFound();
    if (r.redirect) { res.writeHead(301, { Location: u.pathname + '/' + u.search }); return res.end(); }
    const type = MIME[path.extname(r.file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': fs.statSync(r.file).size, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(r.file).pipe(res);
  });
  return new Promise((resolve) => {
    server.once('error', (e) => die(e.code === 'EADDRINUSE'
      ? `port ${opt.port} is in use: pass another --port and build the site for that port` : e.message));
    server.listen(opt.port, '127.0.0.1', () => resolve(server));
  });
}

// ---- Nu HTML checker, one JVM for all files (runs while the browser works) ----
function runVnu(files) {
  return new Promise((resolve) => {
    const args = ['-Xss8m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout',
      ...files.map((f) => path.join(ROOT, f))];
    const p = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', (e) => resolve([{ file: '(vnu)', line: 0, message: `cannot run java: ${e.message}` }]));
    p.on('close', (code) => {
      let msgs;
      try { msgs = JSON.parse(out).messages; } catch {
        return resolve([{ file: '(vnu)', line: 0, message: `vnu exit ${code}, unreadable output: ${(err || out).slice(0, 500)}` }]);
      }
      resolve(msgs.filter((m) => m.type === 'error' || m.type === 'non-document-error').map((m) => ({
        file: m.url ? path.relative(ROOT, decodeURIComponent(new URL(m.url).pathname)) : '(vnu)',
        line: m.firstLine ?? m.lastLine ?? 0, col: m.firstColumn ?? m.lastColumn, message: m.message, extract: m.extract })));
    });
  });
}

// ---- in-page collection (runs inside Chromium) ----
async function inPageContrast() {
  const res = await window.axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast', 'link-in-text-block'] }, resultTypes: ['violations'] });
  return res.violations.flatMap((v) => v.nodes.map((n) => ({ id: v.id, impact: v.impact, help: v.help,
    target: n.target.join(' '), summary: (n.failureSummary || '').trim().replace(/\s*\n\s*/g, '; ') })));
}

async function inPage(tags) {
  const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  const violations = [];
  for (const v of res.violations) for (const n of v.nodes) {
    violations.push({ id: v.id, impact: v.impact, help: v.help, target: n.target.join(' '),
      summary: (n.failureSummary || '').trim().replace(/:\s*\n\s*/g, ': ').replace(/\s*\n\s*/g, '; ') });
  }
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id)
    .concat([...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')));
  const links = [];
  const add = (el, attr, raw) => {
    raw = (raw || '').trim();
    if (!raw) return;
    let url = null;
    try { url = new URL(raw, document.baseURI).href; } catch { /* reported as unparsable */ }
    links.push({ tag: el.tagName.toLowerCase(), attr, raw, url });
  };
  const srcset = (s) => { // HTML srcset parsing: URL up to whitespace, descriptors up to ','
    const out = [];
    for (let i = 0; i < s.length;) {
      while (i < s.length && /[\s,]/.test(s[i])) i++;
      let j = i;
      while (j < s.length && !/\s/.test(s[j])) j++;
      let u = s.slice(i, j);
      if (u.endsWith(',')) u = u.replace(/,+$/, ''); else { while (j < s.length && s[j] !== ',') j++; }
      if (u) out.push(u);
      i = j;
    }
    return out;
  };
  for (const el of document.querySelectorAll('a[href], area[href]')) add(el, 'href', el.getAttribute('href'));
  for (const el of document.querySelectorAll('link[href]')) {
    if (!/\b(preconnect|dns-prefetch)\b/i.test(el.rel)) add(el, 'href', el.getAttribute('href'));
  }
  for (const el of document.querySelectorAll('img[src], script[src], source[src], iframe[src], video[src], audio[src], track[src], embed[src]')) add(el, 'src', el.getAttribute('src'));
  for (const el of document.querySelectorAll('video[poster]')) add(el, 'poster', el.getAttribute('poster'));
  for (const el of document.querySelectorAll('img[srcset], source[srcset]')) {
    for (const u of srcset(el.getAttribute('srcset'))) add(el, 'srcset', u);
  }
  return { violations, ids, links };
}
// What no axe rule catches (issue 16): problems found at the current viewport and scheme, as
// strings. Focused links keep 4.5:1 against the focus background; chart text is at least
// 10 CSS px; a progress bar's drawing is hidden (its sentence is read instead); a bar's target
// and withdrawal shapes and a chart's labels do not overlap (as drawn), nor leave the chart;
// running text stays near 40 characters a line; a chart's name and description differ
// (nothing said twice). checkPage adds the printed scale (A4) and 320 px with 200 % text.
function readingProblems(scheme) {
  const out = [];
  const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
  const links = [...document.querySelectorAll('a[href]')].filter((a) => a.getClientRects().length).slice(0, 40);
  for (const a of links) {
    a.focus();
    if (!a.matches(':focus-visible')) continue;
    const cs = getComputedStyle(a);
    if (cs.backgroundColor === 'rgba(0, 0, 0, 0)') continue; // focus shown by the outline only
    const r = ratio(rgb(cs.color), rgb(cs.backgroundColor));
    if (r < 4.5) out.push(`focused link "${a.textContent.trim().slice(0, 30)}" ${r.toFixed(2)}:1 in the ${scheme} scheme`);
  }
  if (document.activeElement) document.activeElement.blur();
  if (window.innerWidth <= 400) {
    for (const svg of document.querySelectorAll('svg.chart')) {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      for (const t of svg.querySelectorAll('text')) {
        const px = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (px < 10) { out.push(`chart text "${t.textContent}" is ${px.toFixed(1)} px at ${window.innerWidth} px`); break; }
      }
    }
  }
  for (const svg of document.querySelectorAll('svg.bar')) {
    if (svg.getAttribute('aria-hidden') !== 'true') out.push('a progress bar is not hidden from screen readers (its sentence is read beside it)');
  }
  // Drawn boxes, as the browser lays them out: a bar's target and withdrawal shapes, and a
  // chart's labels, never on top of each other.
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  // A text's box is its font's whole line cell (ascent and descent, ~1.45 em in Noto Sans CJK):
  // the ink of a line of Japanese is about 1 em, centred in it.
  const ink = (t) => {
    const r = t.getBoundingClientRect();
    const svg = t.ownerSVGElement, scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const em = parseFloat(getComputedStyle(t).fontSize) * scale, mid = (r.top + r.bottom) / 2;
    return { left: r.left, right: r.right, top: mid - em / 2, bottom: mid + em / 2 };
  };
  for (const svg of document.querySelectorAll('svg.bar')) {
    const t = svg.querySelector('.target-mark'), w = svg.querySelector('.withdrawal-mark');
    if (t && w && overlap(t.getBoundingClientRect(), w.getBoundingClientRect())) {
      out.push(`a bar's target and withdrawal marks are drawn on top of each other at ${window.innerWidth} px`);
    }
  }
  for (const svg of document.querySelectorAll('svg.chart')) {
    const texts = [...svg.querySelectorAll('text')].map((t) => [t.textContent, ink(t)]);
    const box = svg.getBoundingClientRect();
    texts.forEach(([a, ra], i) => {
      if (ra.left < box.left - 0.5 || ra.right > box.right + 0.5) out.push(`chart label "${a}" is cut off at ${window.innerWidth} px`);
      for (const [b, rb] of texts.slice(i + 1)) {
        if (overlap(ra, rb)) out.push(`chart labels "${a}" and "${b}" overlap at ${window.innerWidth} px`);
      }
    });
  }
  // Running text about 40 full-width characters a line at most (tables and charts may be wider).
  if (window.innerWidth >= 1000 && !document.querySelector('meta[name="robots"][content="noindex"]')) { // not the embed pages
    for (const el of document.querySelectorAll('main p, main li, main dd, main figcaption')) {
      if (el.closest('table, nav')) continue;
      const chars = el.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize);
      if (chars > 42.5) { out.push(`running text ${Math.round(chars)} characters a line: "${el.textContent.trim().slice(0, 20)}"`); break; }
    }
  }
  for (const svg of document.querySelectorAll('svg.chart')) {
    const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/);
    const desc = svg.getAttribute('aria-describedby');
    if (desc && ids.includes(desc)) out.push('a chart has its description in its name as well (said twice)');
  }
  return out;
}

// WCAG 1.4.11 (non-text contrast, 3:1) for the graphics that carry meaning, against what is
// next to them as drawn in the current scheme: a bar's fill against its track (the length is
// read from it) and the track's outline against the page; a marker line against its casing and
// a marker's shape against the page; a chart's line, points, target and withdrawal lines
// against the page; status icons; focus outlines; form control borders.
function nonTextContrast(scheme) {
  const out = [];
  const rgba = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
  const opaque = (c) => c && c !== 'none' && c !== 'transparent' && (rgba(c)[3] ?? 1) > 0;
  // The colour behind an element: the first ancestor with a background, else the canvas.
  const behind = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (opaque(c)) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const seen = new Set();
  const check = (what, fg, bg, el) => {
    if (!opaque(fg) || !opaque(bg)) return;
    const r = ratio(rgba(fg), rgba(bg));
    const key = `${what} ${fg} ${bg}`;
    if (r < 3 && !seen.has(key)) {
      seen.add(key);
      out.push(`${what} ${r.toFixed(2)}:1 (${fg} on ${bg}) in the ${scheme} scheme (1.4.11)`);
    }
  };
  const paint = (el, prop) => (el ? getComputedStyle(el)[prop] : null);
  for (const svg of document.querySelectorAll('svg.bar')) {
    const track = svg.querySelector('.track'), fill = svg.querySelector('.fill'), page = behind(svg);
    const tone = [...svg.classList].find((c) => c.startsWith('bar-')) || 'bar';
    if (fill && fill.getAttribute('width') !== '0.0') check(`${tone} fill against its track`, paint(fill, 'fill'), paint(track, 'fill'), fill);
    check('bar track outline against the page', paint(track, 'stroke'), page, track);
    for (const line of svg.querySelectorAll('.target, .withdrawal')) {
      const casing = line.previousElementSibling?.classList.contains('casing') ? line.previousElementSibling : null;
      check(`bar ${line.getAttribute('class')} line against its casing`, paint(line, 'stroke'), casing ? paint(casing, 'stroke') : page, line);
    }
    for (const mark of svg.querySelectorAll('.target-mark, .withdrawal-mark')) {
      check(`bar ${mark.getAttribute('class')} against the page`, paint(mark, 'fill'), page, mark);
    }
  }
  for (const svg of document.querySelectorAll('svg.chart, svg.sparkline')) {
    const page = behind(svg);
    for (const el of svg.querySelectorAll('.line, .target, .withdrawal, .break, .fill, .spark-line, .spark-target')) {
      check(`chart ${el.getAttribute('class')}`, opaque(paint(el, 'stroke')) ? paint(el, 'stroke') : paint(el, 'fill'), page, el);
    }
    for (const el of svg.querySelectorAll('.point, .spark-dot')) check('chart point', paint(el, 'fill'), page, el);
  }
  for (const el of document.querySelectorAll('.code-icon, .mark > span[aria-hidden], .key-target, .key-withdrawal, .index-status, .status-icon')) {
    if (el.getClientRects().length) check(`status icon "${el.textContent.trim().slice(0, 4)}"`, paint(el, 'color'), behind(el), el);
  }
  for (const el of document.querySelectorAll('input, select, button, textarea')) {
    if (!el.getClientRects().length || el.type === 'hidden') continue;
    check(`${el.tagName.toLowerCase()} border`, paint(el, 'borderTopColor'), behind(el), el);
  }
  const focusable = [...document.querySelectorAll('a[href], input, select, button')].filter((a) => a.getClientRects().length).slice(0, 40);
  for (const a of focusable) {
    a.focus();
    if (!a.matches(':focus-visible')) continue;
    const cs = getComputedStyle(a);
    if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) check('focus outline', cs.outlineColor, behind(a), a);
  }
  if (document.activeElement) document.activeElement.blur();
  return out;
}

// On paper (media print) every mark is black or grey: a colour printed in black and white
// says nothing, and a red ■ on a grey printer reads as a blot. The shape carries the meaning.
function printedInColour() {
  const out = new Set();
  const colourful = (c) => { const [r, g, b] = (c.match(/[\d.]+/g) || []).map(Number); return Math.max(r, g, b) - Math.min(r, g, b) > 24; };
  const sel = '.bar *, .chart *, .sparkline *, .code-icon, .code, .status, .mark, .mark *, .key-target, .key-withdrawal, .disagree, .bar-direction';
  for (const el of document.querySelectorAll(sel)) {
    const cs = getComputedStyle(el);
    for (const prop of el instanceof SVGElement ? ['fill', 'stroke'] : ['color']) {
      const c = cs[prop];
      if (c && c.startsWith('rgb') && colourful(c)) {
        out.add(`prints in colour: ${el.tagName.toLowerCase()}.${(el.getAttribute('class') || '').split(' ')[0]} ${prop} ${c}`);
      }
    }
  }
  return [...out].slice(0, 5);
}

// Horizontal overflow at the current viewport: null, or the widest offending elements.
function measureOverflow() {
  const de = document.documentElement, cw = de.clientWidth;
  if (de.scrollWidth <= cw) return null;
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body && p !== de; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const right = (el) => { // right edge of the box, or of its content when that spills out (overflow: visible)
    const r = el.getBoundingClientRect();
    return r.left + (getComputedStyle(el).overflowX === 'visible' ? Math.max(r.width, el.scrollWidth) : r.width);
  };
  const off = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (right(el) > cw + 1 && !inScroller(el)) off.add(el);
  }
  for (const el of [...off]) for (let p = el.parentElement; p; p = p.parentElement) off.delete(p); // keep innermost
  for (const el of [...off]) { const t = el.closest('table'); if (t && t !== el) { off.delete(el); off.add(t); } } // a cell -> its table
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  return { scrollWidth: de.scrollWidth, clientWidth: cw, offenders: [...off].map((el) => {
    return { el: name(el), right: Math.round(right(el)),
      text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40) };
  }).sort((a, b) => b.right - a.right).slice(0, 5) };
}
const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, rej) =>
  setTimeout(() => rej(new Error(`${what} timed out after ${ms / 1000}s`)), ms).unref())]);

async function checkPage(page, rel) {
  const r = { rel, ids: new Set(), links: [], violations: [], overflow: null, error: null, console: [], reading: [] };
  const failed = [];
  const onResp = (resp) => { if (resp.status() >= 400 && resp.url().startsWith(ORIGIN)) failed.push(resp.url()); };
  const onConsole = (m) => { // resource failures are covered by the link check (and favicon.ico is noise)
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) r.console.push(m.text());
  };
  const onError = (e) => r.console.push(`uncaught: ${e.message}`);
  page.on('response', onResp); page.on('console', onConsole); page.on('pageerror', onError);
  // <meta http-equiv=refresh> (alias/redirect stubs) would navigate away mid-check: serve this page
  // without it, and link-check its target instead.
  const url = pageUrl(rel), html = fs.readFileSync(path.join(ROOT, rel), 'utf8');
  const refresh = [...html.matchAll(/<meta\b[^>]*http-equiv\s*=\s*["']?refresh\b[^>]*>/gi)].map((m) => m[0]);
  if (refresh.length) {
    let body = html;
    for (const m of refresh) body = body.replace(m, '');
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body }));
  }
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    if (resp?.status() !== 200) throw new Error(`HTTP ${resp?.status()} for ${url}`);
    await page.evaluate(() => document.fonts.ready.then(() => 0));
    // axe from a fixed URL: Chromium caches the compiled script, twice as fast as evaluating the source
    for (const f of page.frames()) await f.addScriptTag({ url: AXE_URL }).catch(() => {});
    const d = await withTimeout(page.evaluate(inPage, AXE_TAGS), 60000, 'axe-core');
    r.violations = d.violations; r.ids = new Set(d.ids); r.links = d.links;
    // The dark colour scheme (prefers-color-scheme: dark) must meet contrast too.
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await withTimeout(page.evaluate(inPageContrast), 60000, 'axe-core (dark)');
    r.reading.push(...await page.evaluate(readingProblems, 'dark'));
    r.reading.push(...await page.evaluate(nonTextContrast, 'dark'));
    await page.emulateMedia({ colorScheme: 'light' });
    r.reading.push(...await page.evaluate(readingProblems, 'light'));
    r.reading.push(...await page.evaluate(nonTextContrast, 'light'));
    r.violations.push(...dark.map((v) => ({ ...v, id: `${v.id} (dark scheme)` })));
    for (const u of failed) r.links.push({ tag: 'request', attr: 'url', raw: u, url: u });
    for (const m of refresh) {
      const raw = (/content\s*=\s*["']?[^"'>]*?url\s*=\s*['"]?([^"'>\s]+)/i.exec(m) || [])[1];
      if (raw) r.links.push({ tag: 'meta http-equiv="refresh"', attr: 'url', raw, url: new URL(raw, url).href });
    }
    await page.setViewportSize({ width: 320, height: 640 }); // reading layout in measureOverflow reflows
    r.overflow = await page.evaluate(measureOverflow);
    r.reading.push(...await page.evaluate(readingProblems, 'light'));
    // Printed on A4 (210 mm less 15 mm margins: 680 CSS px): anything wider shrinks the whole
    // page (the series pages printed at ~67 %).
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 680, height: 960 });
    r.reading.push(...await page.evaluate(printedInColour));
    const printed = await page.evaluate(measureOverflow);
    // (A few px over, from a glyph's overhang at a line end, prints at 99.5 %+: not counted.)
    if (printed && printed.scrollWidth > printed.clientWidth * 1.01) {
      r.reading.push(`prints at ${Math.round(100 * printed.clientWidth / printed.scrollWidth)} % on A4: `
        + printed.offenders.map((o) => `${o.el} "${o.text}"`).join(', '));
    }
    await page.emulateMedia({ media: 'screen' });
    // 320 px with the text at 200 % (1.4.4 with 1.4.10): nothing wider than the screen.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
    const zoomed = await page.evaluate(measureOverflow);
    if (zoomed) {
      r.reading.push('wider than 320 px with 200 % text: ' + zoomed.offenders.map((o) => `${o.el} "${o.text}"`).join(', '));
    }
  } finally {
    page.off('response', onResp); page.off('console', onConsole); page.off('pageerror', onError);
    if (refresh.length) await page.unroute(url);
  }
  return r;
}

// Run fn(page, item) over items with n tabs; a tab that failed is replaced.
async function pool(context, items, n, fn, onError) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    let page = await context.newPage();
    while (next < items.length) {
      const item = items[next++];
      try { await fn(page, item); } catch (e) {
        onError(item, e);
        await page.close().catch(() => {});
        page = await context.newPage();
      }
    }
    await page.close().catch(() => {});
  }));
}

// ---- main ----
const t0 = Date.now();
const files = findHtml(ROOT);
if (!files.length) die(`no .html files under ${ROOT}`);
const server = await startServer();
const vnuDone = runVnu(files);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
const context = await browser.newContext({ locale: 'ja-JP', bypassCSP: true });
console.log(`checking ${files.length} pages of ${ROOT} at ${SITE_URL} (concurrency ${opt.concurrency})`);

const results = new Map();
const progress = () => { if (results.size % 50 === 0) process.stderr.write(`  ${results.size}/${files.length} pages\n`); };
await pool(context, files, opt.concurrency, async (page, rel) => { results.set(rel, await checkPage(page, rel)); progress(); },
  (rel, e) => results.set(rel, { rel, error: e.message.split('\n')[0], ids: new Set(), links: [], violations: [], console: [] }));

// links: status of every internal URL (HEAD, redirects followed), then #fragments
const statusCache = new Map();
const status = async (u) => {
  if (!statusCache.has(u)) statusCache.set(u, await fetch(u, { method: 'HEAD' }).then((x) => x.status, (e) => e.message));
  return statusCache.get(u);
};
const broken = [];
for (const r of results.values()) {
  const seen = new Set();
  for (const l of r.links) {
    const key = l.url ?? l.raw;
    if (seen.has(key)) continue;
    seen.add(key);
    const what = l.tag === 'request' ? `request ${l.raw}` : `<${l.tag} ${l.attr}="${l.raw}">`;
    if (!l.url) { broken.push({ page: r.rel, what, why: 'unparsable URL' }); continue; }
    const u = new URL(l.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
    if (u.origin !== ORIGIN) {
      if (/^(127\.0\.0\.1|localhost|\[::1\])$/.test(u.hostname)) broken.push({ page: r.rel, what,
        why: `points at ${u.origin}, not ${ORIGIN}: was the site built with base URL ${SITE_URL}?` });
      continue; // external: not fetched
    }
    const target = u.href.replace(/#.*$/s, '');
    const st = await status(target);
    if (st !== 200) {
      broken.push({ page: r.rel, what, why: `${st}` + (u.pathname.startsWith(BASE) ? '' : ` (outside base path ${BASE})`) });
      continue;
    }
    let frag = u.hash.slice(1);
    try { frag = decodeURIComponent(frag); } catch { /* keep raw */ }
    const tfile = urlToFile(u);
    const tres = tfile && results.get(tfile);
    if (frag && frag !== 'top' && tres && !tres.error && !tres.ids.has(frag)) {
      broken.push({ page: r.rel, what, why: `no element with id="${frag}" (or <a name>) in ${tfile}` });
    }
  }
}
const vnu = await vnuDone;

// screenshots
const shotErrors = [];
if (opt.screenshots) {
  fs.mkdirSync(opt.screenshots, { recursive: true });
  const list = opt.pages
    ? opt.pages.split(',').filter((s) => s.trim()).map((s) => {
      const [label, p = ''] = s.split(/=(.*)/s).map((x) => x.trim());
      const rel = p.replace(/^\/+/, '');
      let enc; try { enc = encodeURI(decodeURI(rel)); } catch { enc = encodeURI(rel); } // accept encoded or not
      return { label: label.replace(/[/\\\0]/g, '-') || 'page', url: new URL(enc, SITE_URL).href };
    })
    : files.slice(0, 5).map((f) => ({ label: f.replace(/\.html?$/i, '').replace(/[^\w.-]+/g, '-'), url: pageUrl(f) }));
  const jobs = list.flatMap((p) => [390, 1280].map((w) => ({ ...p, w })));
  await pool(context, jobs, opt.concurrency, async (page, j) => {
    await page.setViewportSize({ width: j.w, height: j.w < 800 ? 844 : 800 });
    const resp = await page.goto(j.url, { waitUntil: 'load', timeout: 30000 });
    if (resp?.status() !== 200) throw new Error(`HTTP ${resp?.status()}`);
    await page.evaluate(() => document.fonts.ready.then(() => 0));
    await page.screenshot({ path: path.join(opt.screenshots, `${j.label}-${j.w}.png`), fullPage: true });
  }, (j, e) => shotErrors.push(`${j.label}-${j.w}.png (${j.url}): ${e.message.split('\n')[0]}`));
}
// ---- search: words typed into the search page find the pages they should, first ----
const searchFails = [];
if (opt.search) {
  const page = await context.newPage();
  const specs = opt.search.split(';').filter((s) => s.trim()).map((spec) => {
    const m = spec.match(/^(.+?)=(.+?)(?:@(\d+))?$/);
    if (!m) die(`bad --search item: ${spec}`);
    return { q: m[1], want: m[2], within: m[3] ?? '1' };
  });
  // The pages given for each query: whichever of them is meant, one comes first.
  const wanted = new Map();
  for (const { q, want } of specs) wanted.set(q, [...(wanted.get(q) ?? []), BASE + want]);
  const firstChecked = new Set();
  for (const { q, want, within } of specs) {
    try {
      await page.goto(SITE_URL + 'search/');
      await page.fill('#search-q', q);
      await page.press('#search-q', 'Enter');
      await page.waitForFunction(() => {
        const t = document.getElementById('search-message')?.textContent || '';
        return t && !t.includes('検索しています');
      }, null, { timeout: 20000 });
      const hrefs = await page.$$eval('#search-list li a', (as) => as.map((a) => a.getAttribute('href')));
      const rank = hrefs.indexOf(BASE + want) + 1;
      console.log(`search 「${q}」: ${hrefs.length} shown, ${BASE + want} ${rank ? `is result ${rank}` : 'not found'}`);
      if (!rank || rank > Number(within)) {
        searchFails.push(`「${q}」: ${BASE + want} ${rank ? `is result ${rank}` : 'is not found'} (wanted within the first ${within}); first: ${hrefs.slice(0, 5).join(' ')}`);
      }
      if (!firstChecked.has(q)) {
        firstChecked.add(q);
        if (!wanted.get(q).includes(hrefs[0])) {
          searchFails.push(`「${q}」: the first result is ${hrefs[0] ?? 'nothing'}, not ${wanted.get(q).join(' or ')}`);
        }
      }
      // The address keeps the words: a search can be linked and reloaded.
      if (!decodeURIComponent(page.url()).includes(`q=${q}`)) searchFails.push(`「${q}」: the address ${page.url()} does not keep the words`);
    } catch (e) {
      searchFails.push(`「${q}」: ${e.message.split('\n')[0]}`);
    }
  }
  await page.close();
}

await browser.close();
server.close();

// ---- report ----
const all = [...results.values()];
const loadErrors = all.filter((r) => r.error);
const violations = all.flatMap((r) => r.violations.map((v) => ({ ...v, page: r.rel })));
const overflowing = all.filter((r) => r.overflow);
const section = (title, n) => console.log(`\n== ${title}: ${n}`);
if (loadErrors.length) { section('pages that failed to load or check', loadErrors.length); for (const r of loadErrors) console.log(`  ${r.rel}: ${r.error}`); }
section('axe-core violations', violations.length);
for (const v of violations) console.log(`  ${v.page}  ${v.id} [${v.impact}]  ${v.target}\n      ${v.help}. ${v.summary}`);
section('broken internal links', broken.length);
for (const b of broken) console.log(`  ${b.page}  ${b.what}  -> ${b.why}`);
section('pages with horizontal scroll at 320px', overflowing.length);
for (const r of overflowing) {
  console.log(`  ${r.rel}: scrollWidth ${r.overflow.scrollWidth} > clientWidth ${r.overflow.clientWidth}`);
  if (!r.overflow.offenders.length) console.log('      (no single element found: look for wide pseudo-elements or transforms)');
  for (const o of r.overflow.offenders) console.log(`      ${o.el} reaches x=${o.right}px  "${o.text}"`);
}
const reading = all.flatMap((r) => [...new Set(r.reading)].map((m) => ({ page: r.rel, m })));
section('reading problems (focus contrast, non-text contrast 1.4.11, chart text size and labels, markers, line length, print scale and colours, 200 % text, said twice)', reading.length);
for (const x of reading) console.log(`  ${x.page}  ${x.m}`);
section('Nu HTML checker errors', vnu.length);
for (const m of vnu) console.log(`  ${m.file}:${m.line}${m.col ? '.' + m.col : ''}  ${m.message}${m.extract ? `  «${m.extract.replace(/\s+/g, ' ').trim()}»` : ''}`);
if (opt.screenshots) {
  console.log(`\n== screenshots in ${opt.screenshots}${shotErrors.length ? `: ${shotErrors.length} failed` : ''}`);
  for (const s of shotErrors) console.log(`  ${s}`);
}
const consoleMsgs = all.flatMap((r) => r.console.map((c) => `${r.rel}: ${c}`));
if (consoleMsgs.length) { console.log(`\n== console errors (warning only, not counted): ${consoleMsgs.length}`); consoleMsgs.forEach((c) => console.log(`  ${c}`)); }

const badPages = new Set([...loadErrors.map((r) => r.rel), ...violations.map((v) => v.page), ...broken.map((b) => b.page),
  ...overflowing.map((r) => r.rel), ...vnu.map((m) => m.file), ...reading.map((x) => x.page)]);
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`\nsummary: ${files.length} pages checked in ${secs}s, ${violations.length} axe violations, ${broken.length} broken links, `
  + `${overflowing.length} overflowing pages, ${reading.length} reading problems, ${vnu.length} vnu errors, ${loadErrors.length} load errors`
  + (opt.screenshots ? `, ${shotErrors.length} screenshot errors` : ''));
if (opt.search) {
  section('search results not where they should be', searchFails.length);
  for (const f of searchFails) console.log(`  ${f}`);
}
const failed = violations.length + broken.length + overflowing.length + reading.length + vnu.length + loadErrors.length + shotErrors.length + searchFails.length;
const badCount = files.filter((f) => badPages.has(f)).length;
const otherFails = shotErrors.length + (vnu.some((m) => !files.includes(m.file)) ? 1 : 0);
console.log(failed ? 'RESULT: FAIL' : 'RESULT: PASS');
console.log(`browser: ${files.length - badCount} passed, ${badCount + otherFails} failed`);
process.exit(failed ? 1 : 0);
