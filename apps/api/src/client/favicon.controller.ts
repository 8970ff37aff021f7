import { Controller, Get, Header, StreamableFile } from '@nestjs/common';

/** The gatehouse: a roof over a barred gate, 16 × 16 ('#' drawn, '.' transparent). */
const PICTURE = [
  '................',
  '.......##.......',
  '......####......',
  '.....######.....',
  '....########....',
  '...##########...',
  '..############..',
  '.##############.',
  '..############..',
  '..##...##...##..',
  '..##...##...##..',
  '..##...##...##..',
  '..##...##...##..',
  '..##...##...##..',
  '..############..',
  '................',
];
const ACCENT = [0x0b, 0x57, 0xd0]; // the screens' --accent (#0b57d0), as R, G, B

/** A one-image ICO: a 32-bit BMP (bottom-up BGRA rows, then an all-zero AND mask, since alpha carries the shape). */
function buildIcon(): Buffer {
  const size = PICTURE.length;
  const pixels = Buffer.alloc(size * size * 4);
  PICTURE.forEach((row, y) => {
    for (let x = 0; x < size; x++) {
      if (row[x] !== '#') continue;
      const at = ((size - 1 - y) * size + x) * 4;
      pixels.set([ACCENT[2], ACCENT[1], ACCENT[0], 0xff], at);
    }
  });
  const mask = Buffer.alloc(size * 4); // one bit per pixel, rows padded to 32 bits
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // the image and its mask
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  info.writeUInt32LE(pixels.length + mask.length, 20);
  const image = Buffer.concat([info, pixels, mask]);
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(image.length, 14);
  header.writeUInt32LE(header.length, 18);
  return Buffer.concat([header, image]);
}

/** `GET /favicon.ico`: what every browser asks for (the IDE page links it); a small icon, not a 404. */
@Controller()
export class FaviconController {
  private readonly icon = buildIcon();

  @Get('favicon.ico')
  @Header('Content-Type', 'image/x-icon')
  @Header('Cache-Control', 'public, max-age=86400')
  favicon(): StreamableFile {
    return new StreamableFile(this.icon);
  }
}
