import { randomInt } from 'node:crypto';

/**
 * A set of object names (hex), asked about with bytes of git's output: the check of every file of a history
 * against the blobs the repository has makes no string per file (hundreds of thousands of them).
 *
 * Open addressing over the names' first 16 hex digits, mixed with keys drawn per set: object names are hashes, but
 * a hostile repository can have blobs made to share a prefix, and a slot it could predict would make lookups slow.
 */
export class OidSet {
  private readonly width: number;
  private readonly names: Buffer;
  /** Index + 1 of a name in `names`, 0 for a free slot. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly keys = [randomInt(2 ** 31), randomInt(2 ** 31), randomInt(2 ** 31) | 1, randomInt(2 ** 31) | 1];

  constructor(oids: readonly string[]) {
    this.width = oids.length ? oids[0].length : 40;
    let size = 2;
    while (size < oids.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    this.names = Buffer.alloc(oids.length * this.width);
    oids.forEach((oid, index) => {
      const at = index * this.width;
      if (oid.length !== this.width || this.names.write(oid, at, 'latin1') !== this.width || this.has(this.names, at, at + this.width)) return;
      let slot = this.slotOf(this.names, at);
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = index + 1;
    });
  }

  /** Whether bytes [start, end) are one of the names. */
  has(bytes: Buffer, start: number, end: number): boolean {
    if (end - start !== this.width || this.width < 16) return false;
    for (let slot = this.slotOf(bytes, start); this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      const at = (this.slots[slot] - 1) * this.width;
      let i = 0;
      while (i < this.width && this.names[at + i] === bytes[start + i]) i++;
      if (i === this.width) return true;
    }
    return false;
  }

  private slotOf(bytes: Buffer, at: number): number {
    let high = 0;
    let low = 0;
    for (let i = 0; i < 8; i++) {
      high = (high << 4) | hexValue(bytes[at + i]);
      low = (low << 4) | hexValue(bytes[at + 8 + i]);
    }
    let h = Math.imul(high ^ this.keys[0], this.keys[2]) ^ Math.imul(low ^ this.keys[1], this.keys[3]);
    h ^= h >>> 15;
    return h & this.mask;
  }
}

/** A hex digit's value (any other byte gives some value: names are compared whole after). */
function hexValue(c: number): number {
  return (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57) & 0xf;
}
