#!/usr/bin/env node
// Shrinks screenshots for docs/screens: 8-bit RGB(A) PNG → 256-colour palette PNG (median cut),
// as pngquant would, with nothing but Node (no image tool on the machines). Transparent parts are
// put on white. Usage: node scripts/shrink-png.mjs <in.png> <out.png> [more pairs…]
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function readPng(file) {
  const buf = readFileSync(file);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error(`${file}: not a PNG`);
  let width = 0, height = 0, channels = 0;
  const idat = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`${file}: only 8-bit, non-interlaced RGB or RGBA`);
      channels = colour === 2 ? 3 : 4;
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels] : 0;
      const b = up[x];
      const c = x >= channels ? up[x - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[x] = (line[x] + predictor) & 0xff;
    }
  }
  // One 24-bit colour per pixel, transparent parts on white.
  const rgb = new Uint32Array(width * height);
  for (let i = 0; i < rgb.length; i++) {
    const p = i * channels;
    const alpha = channels === 4 ? pixels[p + 3] / 255 : 1;
    const on = (v) => Math.round(v * alpha + 255 * (1 - alpha));
    rgb[i] = (on(pixels[p]) << 16) | (on(pixels[p + 1]) << 8) | on(pixels[p + 2]);
  }
  return { width, height, rgb };
}

/** Median cut over the colour histogram: split the box with the most weight × spread until there are `size`. */
function palette(histogram, size) {
  const channel = (c, k) => (c >> (16 - 8 * k)) & 0xff;
  let boxes = [[...histogram.keys()]];
  const score = (box) => {
    let weight = 0;
    const lo = [255, 255, 255], hi = [0, 0, 0];
    for (const c of box) {
      weight += histogram.get(c);
      for (let k = 0; k < 3; k++) (lo[k] = Math.min(lo[k], channel(c, k))), (hi[k] = Math.max(hi[k], channel(c, k)));
    }
    const spread = hi.map((h, k) => h - lo[k]);
    const axis = spread.indexOf(Math.max(...spread));
    return { weight, axis, value: box.length > 1 ? weight * spread[axis] : -1 };
  };
  while (boxes.length < size) {
    const scored = boxes.map(score);
    const best = scored.reduce((m, s, i) => (s.value > scored[m].value ? i : m), 0);
    if (scored[best].value <= 0) break;
    const { axis, weight } = scored[best];
    const box = boxes[best].sort((a, b) => channel(a, axis) - channel(b, axis));
    let seen = 0, cut = 1;
    for (; cut < box.length - 1; cut++) if ((seen += histogram.get(box[cut - 1])) >= weight / 2) break;
    boxes.splice(best, 1, box.slice(0, cut), box.slice(cut));
  }
  return boxes.map((box) => {
    const sum = [0, 0, 0];
    let weight = 0;
    for (const c of box) {
      const w = histogram.get(c);
      weight += w;
      for (let k = 0; k < 3; k++) sum[k] += channel(c, k) * w;
    }
    return sum.map((s) => Math.round(s / weight));
  });
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function shrink(input, output) {
  const { width, height, rgb } = readPng(input);
  const histogram = new Map();
  for (const c of rgb) histogram.set(c, (histogram.get(c) ?? 0) + 1);
  const colours = palette(histogram, 256);
  const nearest = new Map();
  const index = (c) => {
    let best = nearest.get(c);
    if (best !== undefined) return best;
    const r = c >> 16, g = (c >> 8) & 0xff, b = c & 0xff;
    let distance = Infinity;
    colours.forEach(([pr, pg, pb], i) => {
      const d = (pr - r) ** 2 + (pg - g) ** 2 + (pb - b) ** 2;
      if (d < distance) (distance = d), (best = i);
    });
    nearest.set(c, best);
    return best;
  };
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = index(rgb[y * width + x]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 3, 0, 0, 0], 8);
  writeFileSync(
    output,
    Buffer.concat([
      SIGNATURE,
      chunk('IHDR', ihdr),
      chunk('PLTE', Buffer.from(colours.flat())),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2) {
  console.error('usage: node scripts/shrink-png.mjs <in.png> <out.png> [<in.png> <out.png>…]');
  process.exit(2);
}
for (let i = 0; i < args.length; i += 2) {
  shrink(args[i], args[i + 1]);
  console.log(`${args[i + 1]}: ${readFileSync(args[i]).length} → ${readFileSync(args[i + 1]).length} bytes`);
}
