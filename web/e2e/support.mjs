// What the end-to-end test (run.mjs) and the benchmarks (bench.mjs) share: the real
// `tonearm demo` on a free port, Debian's Chromium at phone size, and tokens for the API.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Cargo's output folder, wherever CARGO_TARGET_DIR puts it.
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target');
const binary = process.env.TONEARM_BIN ?? join(targetDir, 'debug/tonearm');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'e2e-listening-password';
/**
 * The debug build synthesizes and encodes the demo library on its first start, which took
 * ~130 s on this (shared, 2-core) machine; later starts reuse the files and only scan.
 */
const DEMO_START_TIMEOUT_MS = 420_000;

export function step(name) {
  console.log(`e2e: ${name}`);
}

/**
 * Starts `tonearm demo` on a free port and resolves with the URL it prints. The demo library
 * is kept between runs (under target/, ignored by git) because generating it dominates the
 * run; the database, keys and rendition cache start afresh every time (so every rendition
 * is cold at first).
 */
export function startDemo() {
  assert.ok(existsSync(binary), `no server binary at ${binary}: run cargo build -p tonearm-server`);
  assert.ok(existsSync(join(root, 'web/dist/index.html')), 'no built app in web/dist: run npm run build');
  const dataDir = process.env.TONEARM_E2E_DATA_DIR ?? join(targetDir, 'e2e-demo-data');
  mkdirSync(dataDir, { recursive: true });
  for (const entry of readdirSync(dataDir)) {
    if (entry !== 'demo-library') rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
  const server = spawn(binary, ['demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--demo-password', PASSWORD], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  let log = '';
  server.stderr.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  const url = new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start within ${DEMO_START_TIMEOUT_MS / 1000} s\n${log}`)), DEMO_START_TIMEOUT_MS);
    createInterface({ input: server.stdout }).on('line', (line) => {
      const match = /^Tonearm is listening on (\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening\n${log}`)));
  });
  const stop = async () => {
    server.kill('SIGTERM');
    await new Promise((resolveExit) => (server.exitCode !== null ? resolveExit() : server.once('exit', resolveExit)));
  };
  return { url, stop };
}

export function launchChromium() {
  return chromium.launch({
    executablePath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** A fresh profile (cookies, storage and HTTP cache of its own) shaped like a phone. */
export function phoneContext(browser) {
  return browser.newContext({
    viewport: { width: 412, height: 915 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    colorScheme: 'dark',
  });
}

/** Signs in through the app and the server's form; resolves once Home shows its shelves. */
export async function signIn(page, base, username) {
  await page.goto(base + '/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('section[aria-label="New releases"] .card img').first().waitFor({ timeout: 15_000 });
}

/**
 * An access token for a demo account, the way any OAuth client gets one: authorization code
 * with PKCE through the server's sign-in form, then the token exchange.
 */
export async function accessToken(base, username) {
  const verifier = randomBytes(32).toString('base64url');
  const params = {
    response_type: 'code',
    client_id: 'tonearm-web',
    redirect_uri: `${base}/app/callback`,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  };
  const signedIn = await fetch(`${base}/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ ...params, username, password: PASSWORD }),
  });
  const code = new URL(signedIn.headers.get('location') ?? '', base).searchParams.get('code');
  assert.ok(code, `signed in as ${username} (${signedIn.status})`);
  const tokens = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: params.redirect_uri, client_id: 'tonearm-web', code_verifier: verifier }),
  });
  assert.equal(tokens.status, 200, 'token exchange');
  return (await tokens.json()).access_token;
}

/** A JSON call to the API with a token. */
export async function api(base, token, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

/** Below this a sample counts as silence (−80 dBFS): no music, but the quietest fade is louder. */
const SILENCE = 1e-4;

/**
 * Connects the app's audio elements (both: the player hands tracks over between them) to
 * an AnalyserNode, for `listen`, and to a silence meter, for `armSilenceMeter` and
 * `readSilenceMeter`; returns nothing, keeps them on window.
 */
export async function attachAnalyser(page) {
  await page.evaluate((silence) => {
    const context = new AudioContext();
    const mix = context.createGain();
    for (const element of document.querySelectorAll('audio')) context.createMediaElementSource(element).connect(mix);
    const analyser = context.createAnalyser();
    analyser.fftSize = 4096;
    mix.connect(analyser);
    analyser.connect(context.destination);
    // Every sample, not an analyser's snapshots: a gap of a few milliseconds must not slip between two.
    // (ScriptProcessorNode: an AudioWorklet module would need a script URL the app's CSP refuses.)
    const meter = { armed: false, run: 0, longest: 0, heard: 0 };
    const processor = context.createScriptProcessor(1024, 2, 1);
    processor.onaudioprocess = (event) => {
      if (!meter.armed) return;
      const input = event.inputBuffer;
      const channels = Array.from({ length: input.numberOfChannels }, (_, channel) => input.getChannelData(channel));
      for (let index = 0; index < input.length; index++) {
        if (channels.every((samples) => Math.abs(samples[index]) < silence)) {
          meter.run += 1;
          meter.longest = Math.max(meter.longest, meter.run);
        } else {
          meter.run = 0;
          meter.heard += 1;
        }
      }
    };
    mix.connect(processor);
    processor.connect(context.destination);
    window.__e2eAnalyser = { context, analyser, meter };
  }, SILENCE);
}

/** Starts measuring the longest run of silence from now. */
export async function armSilenceMeter(page) {
  await page.evaluate(async () => {
    const { context, meter } = window.__e2eAnalyser;
    await context.resume();
    Object.assign(meter, { armed: true, run: 0, longest: 0, heard: 0 });
  });
}

/** The longest silence since `armSilenceMeter`, and how much sound was heard, in ms. */
export async function readSilenceMeter(page) {
  return page.evaluate(() => {
    const { context, meter } = window.__e2eAnalyser;
    meter.armed = false;
    return { longestSilenceMs: (meter.longest / context.sampleRate) * 1000, heardMs: (meter.heard / context.sampleRate) * 1000 };
  });
}

/**
 * What the analyser hears over a second: the loudest RMS (real sound, not just a moving
 * clock), and the share of the spectrum's energy in the music's band (40 Hz–5 kHz: the
 * demo's bass, pads and melody). Audio decrypted with a wrong key, or a broken decode,
 * is broadband noise, whose energy spreads evenly up to 22 kHz.
 */
export async function listen(page) {
  return page.evaluate(async () => {
    const { context, analyser } = window.__e2eAnalyser;
    await context.resume();
    const samples = new Float32Array(analyser.fftSize);
    const spectrum = new Float32Array(analyser.frequencyBinCount);
    const binHz = context.sampleRate / analyser.fftSize;
    let loudest = 0;
    let inBand = 0;
    let total = 0;
    for (let i = 0; i < 20; i++) {
      analyser.getFloatTimeDomainData(samples);
      const rms = Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);
      loudest = Math.max(loudest, rms);
      analyser.getFloatFrequencyData(spectrum);
      spectrum.forEach((decibels, bin) => {
        const power = 10 ** (decibels / 10);
        total += power;
        if (bin * binHz >= 40 && bin * binHz <= 5000) inBand += power;
      });
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    return { rms: loudest, musicBandShare: total > 0 ? inBand / total : 0 };
  });
}

/** Whether the analyser hears anything now (the loudest RMS over a second is above −60 dBFS). */
export async function audible(page) {
  return (await listen(page)).rms > 0.001;
}

export async function audioState(page) {
  return page.evaluate(() => {
    const element = document.getElementById('tonearm-audio');
    return { time: element.currentTime, paused: element.paused, src: element.currentSrc || element.src };
  });
}

/** Resolves once the audio element's clock passes `seconds` while playing. */
export function playedPast(page, seconds, timeout = 20_000) {
  return page.waitForFunction((limit) => {
    const element = document.getElementById('tonearm-audio');
    return !element.paused && element.currentTime > limit;
  }, seconds, { timeout });
}
