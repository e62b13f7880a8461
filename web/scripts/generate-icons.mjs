// Draws the app icons (a record with a tonearm) into public/icons as PNG, with no image
// library: a few signed-distance shapes, 4×4 supersampled, encoded with node:zlib.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const BACKGROUND = [18, 18, 18];
const RECORD = [30, 30, 30];
const GROOVE = [46, 46, 46];
const LABEL = [30, 215, 96];
const ARM = [224, 224, 224];

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Colour at a point of the unit square, or null for transparent; `scale` shrinks the art (maskable safe zone). */
function art(u, v, scale, fullBleed) {
  const x = (u - 0.5) / scale;
  const y = (v - 0.5) / scale;
  const radius = Math.hypot(x, y);
  // Tonearm: a bar from the top-right pivot towards the record's edge.
  const ax = 0.36, ay = -0.36, bx = 0.1, by = 0.18;
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  const armDistance = Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
  if (armDistance < 0.03 || Math.hypot(x - ax, y - ay) < 0.06) return ARM;
  if (radius < 0.07) return BACKGROUND;
  if (radius < 0.17) return LABEL;
  if (radius < 0.42) return Math.floor(radius * 60) % 3 === 0 ? GROOVE : RECORD;
  return fullBleed ? BACKGROUND : radius < 0.5 ? BACKGROUND : null;
}

function icon(size, { scale, fullBleed }) {
  const samples = 4;
  return png(size, (px, py) => {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const color = art((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, scale, fullBleed);
        if (!color) continue;
        r += color[0]; g += color[1]; b += color[2]; a += 255;
      }
    }
    const n = samples * samples;
    const covered = a / 255 || 1;
    return [Math.round(r / covered), Math.round(g / covered), Math.round(b / covered), Math.round(a / n)];
  });
}

const out = new URL('../public/icons/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('icon-192.png', out), icon(192, { scale: 1, fullBleed: false }));
writeFileSync(new URL('icon-512.png', out), icon(512, { scale: 1, fullBleed: false }));
// Maskable icons are cropped to a circle of 80 % of the size: keep the art inside it.
writeFileSync(new URL('icon-maskable-512.png', out), icon(512, { scale: 0.8, fullBleed: true }));

/** An .ico holding one PNG (allowed since Windows Vista; every browser reads it): for pages without an icon link. */
function ico(pngBytes, size) {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(pngBytes.length, 14);
  header.writeUInt32LE(22, 18); // offset of the image
  return Buffer.concat([header, pngBytes]);
}
writeFileSync(new URL('../favicon.ico', out), ico(icon(48, { scale: 1, fullBleed: false }), 48));
