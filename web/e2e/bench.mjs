// Web app figures (docs/BENCHMARKS.md), on loopback against a real `tonearm demo` started
// afresh (so every rendition is cold at first), in Debian's Chromium at phone size:
//
//   - JavaScript shipped: the bundles index.html loads, gzipped (levels 6 and 9) and as the
//     server sends them (brotli), from the browser's own count of bytes received;
//   - first render: first contentful paint of the app, signed out and signed in;
//   - tap to `playing`: the click on an album's play button to the audio element's `playing`
//     event, p50 over several albums' first tracks: cold (renditions never made: the server
//     encodes the first segment on demand), warm (the server has them; a fresh browser
//     profile, so nothing comes from the browser's cache), and the reference, the same
//     tracks played progressively (the original file through `<audio src>`, the app's path
//     where hls.js cannot run, forced by hiding MediaSource);
//   - track changes: the longest silence where one track runs into the next (both ways
//     preload the next track on the player's second audio element);
//   - tap to `playing` on weak links: the same cold starts (a fresh server for each link, so
//     every rendition is cold; a fresh browser profile, a phone the app has never measured)
//     under DevTools Protocol network emulation (`Network.emulateNetworkConditions`: a
//     latency added to every request, throughput caps both ways), p50 and p90.
//
//   BENCH_PARTS=links   only the weak links (each starts its own server)
//
//   npm run build && cargo build --release -p tonearm-server
//   TONEARM_BIN=target/release/tonearm npm --prefix web run bench
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { accessToken, api, armSilenceMeter, attachAnalyser, launchChromium, phoneContext, readSilenceMeter, root, signIn, startDemo, step } from './support.mjs';

const ALBUMS = Number(process.env.BENCH_ALBUMS ?? 7);
/** The links of issue 16's goals: a weak 3G-like link, and a decent one. */
const LINKS = [
  { name: '400 kbit/s, 400 ms round trips', kbps: 400, latencyMs: 400, goalMs: 1500 },
  { name: '1.5 Mbit/s, 40 ms round trips', kbps: 1500, latencyMs: 40, goalMs: 600 },
];
const PARTS = process.env.BENCH_PARTS ?? 'all';
const TRANSITIONS = Number(process.env.BENCH_TRANSITIONS ?? 3);
/** The demo account whose tier may play every track both ways (originals included). */
const LISTENER = 'premium';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
/** The nearest-rank percentile. */
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value) => `${Math.round(value)} ms`;
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** The bundles index.html loads, compressed as a server or CDN would. */
function bundleSizes() {
  const dist = join(root, 'web/dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  const files = scripts.map((path) => readFileSync(join(dist, path)));
  const sum = (measure) => files.reduce((total, file) => total + measure(file), 0);
  return {
    scripts,
    raw: sum((file) => file.length),
    gzip6: sum((file) => gzipSync(file, { level: 6 }).length),
    gzip9: sum((file) => gzipSync(file, { level: 9 }).length),
    brotli: sum((file) => brotliCompressSync(file, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length),
  };
}

/** First contentful paint of a page load, and the JavaScript bytes it received. */
async function firstRender(page, url, ready) {
  let scriptBytes = 0;
  const counted = [];
  page.on('response', (response) => {
    // A response served from the browser's cache reports −1: nothing was received for it.
    if (response.request().resourceType() === 'script') counted.push(response.request().sizes().then((sizes) => (scriptBytes += Math.max(0, sizes.responseBodySize))));
  });
  await page.goto(url);
  await ready(page);
  await Promise.all(counted);
  const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
  return { paint, scriptBytes };
}

/** Clicks an album's play button and times it to the audio element's `playing` event. */
async function tapToPlaying(page, base, album) {
  await page.goto(`${base}/album/${album.id}`);
  const play = page.getByRole('button', { name: `Play ${album.title}` });
  await play.waitFor();
  await page.evaluate(() => {
    const element = document.getElementById('tonearm-audio');
    window.__bench = {};
    // Capture phase: before the app's own handler runs.
    document.addEventListener('click', () => (window.__bench.tap = performance.now()), { capture: true, once: true });
    element.addEventListener('playing', () => (window.__bench.playing = performance.now()), { once: true });
  });
  await play.click();
  await page.waitForFunction(() => window.__bench.playing !== undefined, null, { timeout: 30_000 });
  const timing = await page.evaluate(() => ({ ...window.__bench, src: document.getElementById('tonearm-audio').currentSrc }));
  return { ms: timing.playing - timing.tap, hls: timing.src.startsWith('blob:') };
}

/**
 * The longest silence around each change of track (the silence meter of support.mjs, every
 * sample below −80 dBFS), from 2.5 s before one track's end to 1.5 s into the next.
 */
async function trackChanges(page, base, album, count) {
  await page.goto(`${base}/album/${album.id}`);
  await attachAnalyser(page);
  await page.getByRole('button', { name: `Play ${album.title}` }).click();
  const gaps = [];
  for (let index = 0; index < count; index++) {
    await page.waitForFunction(() => {
      const element = document.getElementById('tonearm-audio');
      return !element.paused && element.currentTime > 1.5 && Number.isFinite(element.duration);
    }, null, { timeout: 30_000 });
    await page.evaluate(() => {
      const element = document.getElementById('tonearm-audio');
      element.dataset.benchEnding = 'yes';
      // 12 s before the end: inside the player's prefetch window (15 s).
      element.currentTime = element.duration - 12;
    });
    await page.waitForFunction(() => {
      const element = document.getElementById('tonearm-audio');
      return !element.paused && element.duration - element.currentTime < 2.5;
    }, null, { timeout: 30_000 });
    await armSilenceMeter(page);
    await page.waitForFunction(() => {
      const element = document.getElementById('tonearm-audio');
      return element.dataset.benchEnding === undefined && !element.paused && element.currentTime > 1.5;
    }, null, { timeout: 60_000 });
    await page.evaluate(() => document.querySelectorAll('audio').forEach((element) => delete element.dataset.benchEnding));
    gaps.push((await readSilenceMeter(page)).longestSilenceMs);
  }
  return gaps;
}

/** Cold starts on one emulated link: its own server (renditions cold), a new phone signed in, then the link emulated. */
async function coldStartsOn(browser, link) {
  const demo = startDemo();
  try {
    const base = await demo.url;
    const token = await accessToken(base, LISTENER);
    const albums = await benchAlbums(base, token);
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await signIn(page, base, LISTENER);
    const cdp = await context.newCDPSession(page);
    const bytesPerSecond = (link.kbps * 1000) / 8;
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: link.latencyMs, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
    const runs = [];
    for (const album of albums) runs.push(await tapToPlaying(page, base, album));
    await context.close();
    if (!runs.every((run) => run.hls)) throw new Error('a run on an emulated link did not play through hls.js');
    return runs.map((run) => run.ms);
  } finally {
    await demo.stop();
  }
}

async function benchAlbums(base, token) {
  return (await api(base, token, 'GET', `/api/v1/albums?limit=${ALBUMS + 1}&sort=name`)).items
    .filter((album) => album.title !== 'Tonearm Sampler, Vol. 1') // its tracks repeat other albums'
    .slice(0, ALBUMS);
}

async function weakLinks(browser) {
  const rows = [];
  for (const link of LINKS) {
    step(`tap to playing over ${ALBUMS} albums, cold, on ${link.name}`);
    const runs = await coldStartsOn(browser, link);
    rows.push([`Tap to \`playing\`, cold, ${link.name}, p50 / p90 of ${runs.length}`, `${ms(percentile(runs, 50))} / ${ms(percentile(runs, 90))}`, `runs: ${runs.map(Math.round).join(', ')}`, `p50 ≤ ${link.goalMs} ms`]);
  }
  return rows;
}

function printRows(rows) {
  console.log('\n| measure | Tonearm | reference (same run) | goal |\n|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

let browser;
try {
  browser = await launchChromium();
  if (PARTS === 'links') printRows(await weakLinks(browser));
  else await loopbackFigures(browser);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser?.close();
}

/** Every figure on loopback, then the weak links. */
async function loopbackFigures(browser) {
  const demo = startDemo();
  try {
    const base = await demo.url;
    step(`server up at ${base}`);
    const token = await accessToken(base, LISTENER);
    const albums = await benchAlbums(base, token);

    step('JavaScript shipped and first render');
    const sizes = bundleSizes();
    const signedOut = await phoneContext(browser);
    const shell = await firstRender(await signedOut.newPage(), `${base}/`, (page) => page.getByRole('button', { name: 'Sign in' }).waitFor());
    await signedOut.close();
    const listening = await phoneContext(browser);
    const listeningPage = await listening.newPage();
    await signIn(listeningPage, base, LISTENER);
    const home = await firstRender(listeningPage, `${base}/`, (page) => page.locator('section[aria-label="New releases"] .card img').first().waitFor());

    step(`tap to playing over ${albums.length} albums: cold`);
    const cold = [];
    for (const album of albums) cold.push(await tapToPlaying(listeningPage, base, album));
    await listening.close();

    step('warm (the server has the renditions; an empty browser cache)');
    const warmContext = await phoneContext(browser);
    const warmPage = await warmContext.newPage();
    await signIn(warmPage, base, LISTENER);
    const warm = [];
    for (const album of albums) warm.push(await tapToPlaying(warmPage, base, album));

    step('track changes through HLS, the next track preloaded');
    const hlsGaps = await trackChanges(warmPage, base, albums[0], TRANSITIONS);
    await warmContext.close();

    step('reference: the same tracks played progressively');
    const progressiveContext = await phoneContext(browser);
    await progressiveContext.addInitScript(() => {
      delete window.MediaSource;
      delete window.ManagedMediaSource;
    });
    const progressivePage = await progressiveContext.newPage();
    await signIn(progressivePage, base, LISTENER);
    const progressive = [];
    for (const album of albums) progressive.push(await tapToPlaying(progressivePage, base, album));
    const progressiveGaps = await trackChanges(progressivePage, base, albums[0], TRANSITIONS);
    await progressiveContext.close();

    if (!cold.every((run) => run.hls) || !warm.every((run) => run.hls) || progressive.some((run) => run.hls)) {
      throw new Error('a run did not play the way it measures');
    }
    const rows = [
      ['JavaScript shipped, gzip -9 (what a precompressing server sends)', kB(sizes.gzip9), '–', '≤ 150 kB'],
      ['JavaScript shipped, gzip -6 (on-the-fly gzip)', kB(sizes.gzip6), '–', '≤ 150 kB'],
      ['JavaScript received from Tonearm (brotli), per the browser', kB(home.scriptBytes || shell.scriptBytes), `brotli -11: ${kB(sizes.brotli)}; raw ${kB(sizes.raw)}`, '–'],
      ['First contentful paint, signed out', ms(shell.paint), '–', '≤ 1 s'],
      ['First contentful paint, signed in (Home)', ms(home.paint), '–', '≤ 1 s'],
      [`Tap to \`playing\`, cold, p50 of ${cold.length}`, ms(median(cold.map((run) => run.ms))), `progressive original: ${ms(median(progressive.map((run) => run.ms)))}`, '≤ 400 ms'],
      [`Tap to \`playing\`, warm, p50 of ${warm.length}`, ms(median(warm.map((run) => run.ms))), `progressive original: ${ms(median(progressive.map((run) => run.ms)))}`, '–'],
      [`Silence between tracks, p50 of ${hlsGaps.length}`, ms(median(hlsGaps)), `progressive original: ${ms(median(progressiveGaps))}`, '–'],
    ];
    printRows(rows);
    console.log(`\nscripts: ${sizes.scripts.join(', ')}`);
    console.log(`cold runs (ms): ${cold.map((run) => Math.round(run.ms)).join(', ')}`);
    console.log(`warm runs (ms): ${warm.map((run) => Math.round(run.ms)).join(', ')}`);
    console.log(`progressive runs (ms): ${progressive.map((run) => Math.round(run.ms)).join(', ')}`);
    console.log(`track changes (ms): HLS ${hlsGaps.map(Math.round).join(', ')}; progressive ${progressiveGaps.map(Math.round).join(', ')}`);
  } finally {
    await demo.stop();
  }
  printRows(await weakLinks(browser));
}
