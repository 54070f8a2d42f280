#!/usr/bin/env node
// Reference harness: run axe-core inside jsdom over saved HTML pages.
//
//   node run-axe.mjs [--rules a,b,c] [--add-rules x,y] [--out FILE.jsonl]
//                    [--timeout-ms N] [--jobs N] [--recycle N] PATH...
//
// PATH may be a file or a directory (searched recursively for *.html / *.htm,
// sorted by relative path). Each page is parsed by jsdom with page scripts off
// and the parser's scripting flag off (so <noscript> content is parsed as
// markup, as in a browser with JavaScript disabled), no
// subresource loading (no stylesheets, images, frames or any other network
// request), node locations on and a file: URL of the page (so same-page link
// logic sees "#frag" links as same-page). axe-core is injected with
// window.eval(axe.source) and run with runOnly = the rule list and
// resultTypes = ['violations', 'incomplete'] (building selectors for passing
// nodes is what makes axe slow in jsdom; result types not listed get only one
// node, so 'incomplete' must be listed to get all incomplete nodes).
//
// One JSON line per page:
//   {"file", "encoding", "encoding_source", "ms_parse", "ms_inject", "ms",
//    "results": [{"rule", "outcome": "violation"|"incomplete", "impact",
//                 "nodes": [{"target", "line", "column", "column_utf16"}]}]}
// or {"file", "error"} when the page failed or timed out.
//
// line   = 1-based line of the '<' of the element's start tag, counting CR,
//          LF and CRLF as one line break each (HTML input-stream rules;
//          U+0085, U+2028, U+2029, VT and FF are not line breaks).
// column = 1-based column of that '<' in Unicode code points of the decoded
//          text. parse5 (jsdom's parser) counts columns in UTF-16 code units;
//          column_utf16 keeps that raw value. They differ only on lines with
//          characters outside the BMP (emoji etc.) before the tag.
// Both are null for elements the parser created without a source location:
// implied <html>/<head>/<body>, and formatting elements (<a>, <b>...) that
// the parser reconstructs after misnested markup.
//
// Several jsdom 29.1.1 bugs and gaps are patched around (scripting-disabled
// parse with node locations, elementFromPoint, Range.getClientRects, MathML
// getComputedStyle, SVG <title> display, calc() values css-tree cannot
// parse); see the comments at each patch and README.md.
//
// Encoding: BOM, else <meta> prescan (jsdom's own sniffer), else UTF-8 if the
// bytes are valid UTF-8, else windows-1252 (jsdom alone would always fall back
// to windows-1252); the choice is passed to jsdom as the content-type charset.
//
// Each page runs in a worker thread; a page exceeding --timeout-ms has its
// worker terminated (this interrupts even synchronous axe code) and is
// reported as an error. Pages are processed one at a time unless --jobs > 1;
// output order is always the sorted input order.

import { readFileSync, readdirSync, statSync, createWriteStream } from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import { performance } from "node:perf_hooks";

export const DEFAULT_RULES = [
  // the 24 rules of the browser reference run (/work/shared/reference/README.md)
  "bypass", "skip-link", "image-alt", "image-redundant-alt", "role-img-alt",
  "svg-img-alt", "heading-order", "page-has-heading-one", "empty-heading",
  "landmark-one-main", "landmark-no-duplicate-banner",
  "landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main",
  "landmark-banner-is-top-level", "landmark-contentinfo-is-top-level",
  "landmark-main-is-top-level", "landmark-complementary-is-top-level",
  "landmark-unique", "region", "document-title", "html-has-lang", "link-name",
  "duplicate-id-aria", "aria-hidden-focus",
  // further rules a11ycheck anchors on
  "html-lang-valid", "input-image-alt", "area-alt", "object-alt", "aria-roles",
  // p-as-heading (experimental), aria-allowed-role, duplicate-id and
  // presentation-role-conflict run only when asked for with --rules/--add-rules.
];

const USAGE = `usage: node run-axe.mjs [--rules a,b,c] [--add-rules x,y] [--out FILE.jsonl]
                   [--timeout-ms N] [--jobs N] [--recycle N] PATH...
  --rules       comma-separated axe rule ids (replaces the default list)
  --add-rules   comma-separated rule ids added to the default list
  --out         write JSON lines here (default: stdout)
  --timeout-ms  per-page limit, parse + axe (default 300000; 0 = none)
  --jobs        pages processed in parallel (default 1)
  --recycle     restart a worker after this many pages (default 50)
default rules: ${DEFAULT_RULES.join(",")}`;

// ---------------------------------------------------------------- worker side

function workerMain() {
  const require = createRequire(import.meta.url);
  const { JSDOM, VirtualConsole } = require("jsdom");
  const axeSource = require("axe-core").source;
  // jsdom decodes bytes with these two (lib/api.js normalizeHTML); resolve
  // them from jsdom's own location so we decode exactly as it does.
  const requireFromJsdom = createRequire(require.resolve("jsdom"));
  const sniffHTMLEncoding = requireFromJsdom("html-encoding-sniffer");
  const { legacyHookDecode } = requireFromJsdom("@exodus/bytes/encoding.js");

  // Work around a jsdom 29.1.1 bug: resolveCalc() (living/css/helpers/
  // css-values.js) calls css-tree's parse() on a declared value containing
  // calc() without a try/catch, so one invalid value in a stylesheet, e.g.
  // `min-height: calc(($a - $b) / 16 * 9)` (unprocessed SCSS), throws out of
  // the JSDOM constructor and the whole page is lost. Browsers drop just that
  // declaration. Wrapping parse() so that a failed *value* parse returns null
  // makes resolveCalc() return undefined and jsdom drop the declaration; the
  // other callers of parse(value) already catch and treat it as invalid.
  // Nothing changes for values that parse.
  const jsdomLib = path.dirname(require.resolve("jsdom"));
  // Work around a jsdom 29.1.1 bug: includeNodeLocations *replaces* the
  // default parse options {scriptingEnabled: false} with
  // {sourceCodeLocationInfo: true}, so parse5 falls back to its default
  // scriptingEnabled = true and parses <noscript> content as raw text (as a
  // browser with scripts on would), although no script ever runs. Restore the
  // scripting-disabled parse, which is what a browser with JavaScript off
  // (the -nojs reference) does: <noscript> content becomes elements, and e.g.
  // <noscript><style>.lazyload{display:none}</style></noscript> applies.
  const idlUtils = require(path.join(jsdomLib, "generated/idl/utils.js"));
  function scriptingDisabledParse(window) {
    const impl = idlUtils.implForWrapper(window.document);
    impl._parseOptions = { ...impl._parseOptions, scriptingEnabled: false };
  }

  let cssValueErrors = 0;
  {
    const csstree = require(path.join(jsdomLib, "jsdom/living/css/helpers/patched-csstree.js"));
    const parse = csstree.parse;
    csstree.parse = function parseValueSafely(text, options) {
      try {
        return parse.call(this, text, options);
      } catch (err) {
        if (options && options.context === "value") {
          cssValueErrors++;
          return null;
        }
        throw err;
      }
    };
  }

  const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
  // WHATWG sniffing without a transport layer: BOM, then the <meta> prescan of
  // the first 1024 bytes. jsdom would then fall back to windows-1252; like
  // Chromium's detector for unlabelled file: pages (and like a11ycheck's
  // decoder) we use UTF-8 when the bytes are valid UTF-8, windows-1252 else.
  function chooseEncoding(bytes) {
    const hasBom =
      (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) ||
      (bytes[0] === 0xfe && bytes[1] === 0xff) ||
      (bytes[0] === 0xff && bytes[1] === 0xfe);
    const sniffed = sniffHTMLEncoding(bytes, { xml: false, defaultEncoding: null });
    if (sniffed !== null) return { encoding: sniffed, source: hasBom ? "bom" : "meta" };
    try {
      strictUtf8.decode(bytes);
      return { encoding: "UTF-8", source: "utf-8-valid" };
    } catch {
      return { encoding: "windows-1252", source: "fallback" };
    }
  }

  // More jsdom gaps that make axe rules error out ("incomplete",
  // error-occurred) or decide differently from a browser:
  // * Range has no getClientRects()/getBoundingClientRect() (object-alt's
  //   "object has loaded" test, visible-text helpers). Like jsdom's
  //   Element.getClientRects(), return no boxes: "cannot measure", which axe
  //   treats as "object loaded" (the static reading in docs/axe-rules.md).
  // * MathML elements have no `style` in jsdom, so getComputedStyle() on them
  //   throws, and one <math> kills the region rule for the page. Fall back to
  //   the computed style of the nearest ancestor that has one (inherited
  //   properties match the browser; MathML itself rarely sets others).
  // * jsdom's UA stylesheet hides `title` with display:none and ignores its
  //   `@namespace xhtml` line, so an SVG <title> is display:none too; axe then
  //   drops it from svg names (svgTitleText), and every link or button named
  //   only by an icon's <svg><title> is flagged, which Chromium does not do.
  //   Report display:inline for SVG <title> elements whose display is none.
  function patchLayoutGaps(window) {
    const RangeProto = window.Range && window.Range.prototype;
    if (RangeProto && typeof RangeProto.getClientRects !== "function") {
      RangeProto.getClientRects = function getClientRects() { return []; };
    }
    if (RangeProto && typeof RangeProto.getBoundingClientRect !== "function") {
      RangeProto.getBoundingClientRect = function getBoundingClientRect() {
        return new window.DOMRect(0, 0, 0, 0);
      };
    }
    const getComputedStyle = window.getComputedStyle;
    window.getComputedStyle = function patchedGetComputedStyle(el, pseudo) {
      let target = el;
      while (target && target.nodeType === 1 && !("style" in target) && target.parentElement) {
        target = target.parentElement;
      }
      if (target !== el) stylelessElements++;
      const style = getComputedStyle.call(window, target, pseudo);
      if (el && el.localName === "title" && el.namespaceURI === SVG_NS && !pseudo &&
          style.getPropertyValue("display") === "none") {
        svgTitleFixes++;
        return displayOverride(style, "inline");
      }
      return style;
    };
  }
  const SVG_NS = "http://www.w3.org/2000/svg";
  function displayOverride(style, display) {
    return new Proxy(style, {
      get(target, prop) {
        if (prop === "display") return display;
        if (prop === "getPropertyValue") {
          return (name) => (String(name).toLowerCase() === "display" ? display : target.getPropertyValue(name));
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  }
  let stylelessElements = 0;
  let svgTitleFixes = 0;

  function location(dom, html, el) {
    let loc = null;
    try {
      loc = dom.nodeLocation(el);
    } catch {
      loc = null;
    }
    const tag = loc ? (loc.startTag || loc) : null;
    if (!tag || tag.startLine == null) {
      return { line: null, column: null, column_utf16: null };
    }
    const col16 = tag.startCol;
    // raw index of the first code unit of the line in the decoded string
    const lineStart = tag.startOffset - (col16 - 1);
    let cpCol = col16;
    if (lineStart >= 0 && html.charCodeAt(tag.startOffset) === 0x3c /* < */) {
      cpCol = 1;
      for (let i = lineStart; i < tag.startOffset; i++) {
        const c = html.charCodeAt(i);
        // a high surrogate followed by a low one is one code point
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < tag.startOffset) {
          const d = html.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) i++;
        }
        cpCol++;
      }
    }
    return { line: tag.startLine, column: cpCol, column_utf16: col16 };
  }

  function targetString(target) {
    // target is an array of selectors, one per frame / shadow root level;
    // static pages have exactly one.
    if (!Array.isArray(target)) return String(target);
    return target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(" >>> ");
  }

  async function runPage({ abs, rules }) {
    const bytes = readFileSync(abs);
    const { encoding, source: encodingSource } = chooseEncoding(bytes);
    const html = legacyHookDecode(bytes, encoding);
    let jsdomErrors = 0;
    cssValueErrors = 0;
    stylelessElements = 0;
    svgTitleFixes = 0;
    const virtualConsole = new VirtualConsole();
    virtualConsole.on("jsdomError", () => { jsdomErrors++; });
    const t0 = performance.now();
    const dom = new JSDOM(bytes, {
      url: pathToFileURL(abs).href,
      // As a transport-layer label this loses only to a BOM, which
      // chooseEncoding() already honoured, so jsdom decodes exactly as we did.
      contentType: `text/html; charset=${encoding}`,
      runScripts: "outside-only", // page scripts never run; window.eval exists
      includeNodeLocations: true,
      beforeParse: scriptingDisabledParse,
      virtualConsole,
      // resources left undefined: no subresource is ever fetched
    });
    const t1 = performance.now();
    try {
      const { window } = dom;
      if (idlUtils.implForWrapper(window.document)._parseOptions.scriptingEnabled !== false) {
        throw new Error("jsdom parsed with scripting enabled");
      }
      if (window.document.characterSet.toLowerCase() !== encoding.toLowerCase()) {
        throw new Error(`encoding mismatch: sniffed ${encoding}, jsdom ${window.document.characterSet}`);
      }
      // jsdom has no layout and no document.elementFromPoint. axe's
      // isModalOpen() (page-has-main, page-has-heading-one, aria-hidden-focus)
      // probes five points with elementsFromPoint and, without the method,
      // installs a polyfill over elementFromPoint that throws, turning those
      // rules into "incomplete (error-occurred)". Stub both: no element is
      // ever found at a point, i.e. no layout-detected modal (explicit
      // dialog/[role=dialog]/[aria-modal=true] elements are still honoured).
      window.document.elementFromPoint = () => null;
      window.document.elementsFromPoint = () => [];
      patchLayoutGaps(window);
      window.eval(axeSource);
      const t2 = performance.now();
      const res = await window.axe.run(window.document, {
        runOnly: { type: "rule", values: rules },
        resultTypes: ["violations", "incomplete"],
        elementRef: true,
        iframes: false,
      });
      const t3 = performance.now();
      const results = [];
      for (const [group, outcome] of [["violations", "violation"], ["incomplete", "incomplete"]]) {
        for (const r of res[group]) {
          const entry = {
            rule: r.id,
            outcome,
            impact: r.impact ?? null,
            nodes: r.nodes.map((n) => ({
              target: targetString(n.target),
              ...location(dom, html, n.element),
            })),
          };
          if (r.error) entry.error = String(r.error.message ?? r.error);
          results.push(entry);
        }
      }
      results.sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.outcome < b.outcome ? -1 : 1));
      const rec = {
        encoding,
        encoding_source: encodingSource,
        ms: Math.round(t3 - t2),
        ms_parse: Math.round(t1 - t0),
        ms_inject: Math.round(t2 - t1),
        results,
      };
      if (jsdomErrors) rec.jsdom_errors = jsdomErrors;
      if (cssValueErrors) rec.css_value_errors = cssValueErrors;
      if (stylelessElements) rec.styleless_style_lookups = stylelessElements;
      if (svgTitleFixes) rec.svg_title_display_fixes = svgTitleFixes;
      return rec;
    } finally {
      dom.window.close();
    }
  }

  parentPort.postMessage({ ready: true });
  parentPort.on("message", async (msg) => {
    try {
      const rec = await runPage(msg);
      parentPort.postMessage({ id: msg.id, rec });
    } catch (err) {
      parentPort.postMessage({ id: msg.id, rec: { error: String(err && err.stack ? err.message : err) } });
    }
  });
}

// ------------------------------------------------------------------ main side

function parseArgs(argv) {
  const opts = { rules: null, addRules: [], out: null, timeoutMs: 300000, jobs: 1, recycle: 50, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const name = a.includes("=") ? a.slice(0, a.indexOf("=")) : a;
    if (name === "--rules") opts.rules = val().split(",").map((s) => s.trim()).filter(Boolean);
    else if (name === "--add-rules") opts.addRules.push(...val().split(",").map((s) => s.trim()).filter(Boolean));
    else if (name === "--out") opts.out = val();
    else if (name === "--timeout-ms") opts.timeoutMs = Number(val());
    else if (name === "--jobs") opts.jobs = Math.max(1, Number(val()) | 0);
    else if (name === "--recycle") opts.recycle = Math.max(1, Number(val()) | 0);
    else if (name === "-h" || name === "--help") { console.log(USAGE); process.exit(0); }
    else if (a === "--") { opts.paths.push(...argv.slice(i + 1)); break; }
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else opts.paths.push(a);
  }
  if (!opts.paths.length) throw new Error("no PATH given");
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs < 0) throw new Error("bad --timeout-ms");
  return opts;
}

function collect(paths) {
  const pages = [];
  const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  for (const p of paths) {
    const st = statSync(p);
    if (st.isDirectory()) {
      const found = [];
      const walk = (dir) => {
        for (const ent of readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, ent.name);
          if (ent.isDirectory()) walk(full);
          else if (ent.isFile() && /\.html?$/i.test(ent.name)) found.push(full);
        }
      };
      walk(p);
      const rel = found.map((f) => path.relative(p, f).split(path.sep).join("/")).sort(byCodeUnit);
      for (const r of rel) pages.push({ abs: path.resolve(p, r), file: r });
    } else {
      pages.push({ abs: path.resolve(p), file: p });
    }
  }
  return pages;
}

class Slot {
  constructor() { this.worker = null; this.ready = null; this.done = 0; }
  // Start a worker if needed and wait until it has loaded jsdom and axe-core,
  // so that the per-page timeout never includes worker start-up.
  ensure() {
    if (!this.worker) {
      const w = new Worker(fileURLToPath(import.meta.url));
      this.worker = w;
      this.done = 0;
      this.ready = new Promise((resolve, reject) => {
        const onMsg = (m) => { if (m && m.ready) { cleanup(); resolve(w); } };
        const onErr = (e) => { cleanup(); reject(e); };
        const onExit = (code) => { cleanup(); reject(new Error(`worker exited with code ${code} during start-up`)); };
        const cleanup = () => { w.off("message", onMsg); w.off("error", onErr); w.off("exit", onExit); };
        w.on("message", onMsg);
        w.on("error", onErr);
        w.on("exit", onExit);
      });
    }
    return this.ready;
  }
  async kill() {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }
  async run(page, id, rules, timeoutMs) {
    let w;
    try {
      w = await this.ensure();
    } catch (e) {
      return { rec: { error: `worker start-up failed: ${e && e.message ? e.message : e}` }, dead: true };
    }
    return new Promise((resolve) => {
      let timer = null;
      const finish = (rec, dead) => {
        if (timer) clearTimeout(timer);
        w.off("message", onMsg);
        w.off("error", onErr);
        w.off("exit", onExit);
        resolve({ rec, dead });
      };
      const onMsg = (m) => { if (m.id === id) finish(m.rec, false); };
      const onErr = (e) => finish({ error: `worker error: ${e && e.message ? e.message : e}` }, true);
      const onExit = (code) => finish({ error: `worker exited with code ${code}` }, true);
      w.on("message", onMsg);
      w.on("error", onErr);
      w.on("exit", onExit);
      if (timeoutMs > 0) {
        timer = setTimeout(() => finish({ error: `timeout: no result within ${timeoutMs} ms` }, true), timeoutMs);
      }
      w.postMessage({ id, abs: page.abs, rules });
    });
  }
}

function median(xs) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`run-axe: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  const rules = [...new Set([...(opts.rules ?? DEFAULT_RULES), ...opts.addRules])];
  const known = new Set(createRequire(import.meta.url)("axe-core").getRules().map((r) => r.ruleId));
  const unknown = rules.filter((r) => !known.has(r));
  if (unknown.length || !rules.length) {
    console.error(`run-axe: unknown axe rule(s): ${unknown.join(", ") || "(none given)"}`);
    process.exit(2);
  }
  let pages;
  try {
    pages = collect(opts.paths);
  } catch (e) {
    console.error(`run-axe: ${e.message}`);
    process.exit(2);
  }
  const out = opts.out ? createWriteStream(opts.out) : process.stdout;

  const tStart = performance.now();
  const recs = new Array(pages.length);
  let nextToWrite = 0;
  const msAxe = [], msParse = [], msTotal = [];
  let errors = 0, timeouts = 0;
  const flush = () => {
    while (nextToWrite < pages.length && recs[nextToWrite] !== undefined) {
      out.write(JSON.stringify(recs[nextToWrite]) + "\n");
      recs[nextToWrite] = null;
      nextToWrite++;
    }
  };

  let nextPage = 0;
  const runSlot = async (slot) => {
    while (nextPage < pages.length) {
      const i = nextPage++;
      const page = pages[i];
      const t0 = performance.now();
      const { rec, dead } = await slot.run(page, i, rules, opts.timeoutMs);
      const wall = performance.now() - t0;
      if (dead) await slot.kill();
      else if (++slot.done >= opts.recycle) await slot.kill();
      const full = { file: page.file, ...rec };
      if (rec.error) {
        errors++;
        if (rec.error.startsWith("timeout")) timeouts++;
        console.error(`run-axe: ${page.file}: ${rec.error}`);
      } else {
        msAxe.push(rec.ms);
        msParse.push(rec.ms_parse);
        msTotal.push(wall);
      }
      recs[i] = full;
      flush();
    }
    await slot.kill();
  };
  const slots = Array.from({ length: Math.min(opts.jobs, Math.max(1, pages.length)) }, () => new Slot());
  await Promise.all(slots.map(runSlot));

  const secs = (performance.now() - tStart) / 1000;
  await new Promise((resolve) => (out === process.stdout ? resolve() : out.end(resolve)));
  const fmt = (x) => (x == null ? "n/a" : Math.round(x));
  console.error(
    `run-axe: ${pages.length} pages (${errors} errors, ${timeouts} timeouts), ${secs.toFixed(1)} s, ` +
    `${(pages.length / secs).toFixed(2)} pages/s, jobs ${opts.jobs}; median ms: axe ${fmt(median(msAxe))}, ` +
    `parse ${fmt(median(msParse))}, page wall ${fmt(median(msTotal))}; rules ${rules.length}`
  );
}

if (isMainThread) {
  main().catch((e) => {
    console.error(`run-axe: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  });
} else {
  workerMain();
}
