import { looksLikeTar } from './tar';
import type { ArchiveFormat } from './types';

/** What the first bytes of a file say it is. */
export type ContentKind =
  | { kind: 'archive'; format: ArchiveFormat }
  /** Images, fonts, audio and video: no text worth extracting. */
  | { kind: 'media'; format: string }
  /** Compressed formats we do not open (7z, rar, xz, bzip2, zstd): reported, not scanned. */
  | { kind: 'unsupported-archive'; format: string }
  /** Anything else: text, or a binary whose printable strings are scanned (executables, PDF, databases). */
  | { kind: 'other' };

const starts = (bytes: Buffer, at: number, magic: string | number[]): boolean => {
  const m = typeof magic === 'string' ? Buffer.from(magic, 'latin1') : Buffer.from(magic);
  return bytes.length >= at + m.length && bytes.compare(m, 0, m.length, at, at + m.length) === 0;
};

const MEDIA: [string, number, string | number[]][] = [
  ['png', 0, [0x89, 0x50, 0x4e, 0x47]],
  ['jpeg', 0, [0xff, 0xd8, 0xff]],
  ['gif', 0, 'GIF8'],
  ['webp', 8, 'WEBP'],
  ['wav', 8, 'WAVE'],
  ['avi', 8, 'AVI '],
  ['ico', 0, [0, 0, 1, 0]],
  ['mp3', 0, 'ID3'],
  ['mp4', 4, 'ftyp'],
  ['ogg', 0, 'OggS'],
  ['flac', 0, 'fLaC'],
  ['webm', 0, [0x1a, 0x45, 0xdf, 0xa3]],
  ['woff', 0, 'wOFF'],
  ['woff2', 0, 'wOF2'],
  ['ttf', 0, [0, 1, 0, 0]],
  ['otf', 0, 'OTTO'],
];

const UNSUPPORTED: [string, number, string | number[]][] = [
  ['7z', 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['rar', 0, 'Rar!\x1a\x07'],
  ['xz', 0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['bzip2', 0, 'BZh'],
  ['zstd', 0, [0x28, 0xb5, 0x2f, 0xfd]],
];

/**
 * Recognises a file by its magic bytes. PDF is "other" on purpose: its uncompressed parts (metadata, forms, some
 * pages) hold text a key can be in, and strings extraction costs little; its deflated streams are not opened.
 */
export function contentKind(bytes: Buffer): ContentKind {
  if (starts(bytes, 0, [0x1f, 0x8b])) return { kind: 'archive', format: 'gzip' };
  if (starts(bytes, 0, 'PK\x03\x04') || starts(bytes, 0, 'PK\x05\x06')) return { kind: 'archive', format: 'zip' };
  if (looksLikeTar(bytes)) return { kind: 'archive', format: 'tar' };
  for (const [format, at, magic] of MEDIA) if (starts(bytes, at, magic)) return { kind: 'media', format };
  for (const [format, at, magic] of UNSUPPORTED) if (starts(bytes, at, magic)) return { kind: 'unsupported-archive', format };
  return { kind: 'other' };
}
