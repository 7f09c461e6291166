export type ArchiveFormat = 'zip' | 'gzip' | 'tar';

export interface ArchiveLimits {
  /** Archives opened one inside another at most; a deeper one is reported, not opened. */
  maxDepth: number;
  /** Uncompressed bytes of one member at most; a larger one is reported and skipped. */
  maxMemberBytes: number;
  /** Uncompressed bytes of one top-level archive at most, every level counted. */
  maxTotalBytes: number;
  /** Uncompressed / compressed at most, for members past 1 MiB (a small file of spaces compresses 100×). */
  maxRatio: number;
  /** Members of one top-level archive at most, every level counted. */
  maxMembers: number;
}

/** One file inside an archive: `path` is `dist/app.zip!config/.env`, one `!` per level. */
export interface ArchiveMember {
  kind: 'member';
  path: string;
  bytes: Buffer;
  /** 1 for a member of the scanned file, 2 for a member of an archive inside it. */
  depth: number;
}

/** Something not read: a cap, a corrupt or truncated part, an encrypted or unsupported member. */
export interface ArchiveProblem {
  kind: 'problem';
  /** The archive or member it is about. */
  path: string;
  message: string;
}

export type ArchiveEntry = ArchiveMember | ArchiveProblem;

/** What a format reader yields: a member's name inside its container, or a problem (`name` when it is a member's). */
export type RawEntry = { kind: 'member'; name: string; bytes: Buffer } | { kind: 'problem'; name?: string; message: string };

/** Caps shared by every level of one top-level archive. */
export interface Budget {
  limits: ArchiveLimits;
  /** Uncompressed bytes left. */
  bytesLeft: number;
  membersLeft: number;
}
