/**
 * The generator's model: the integer structure of the synthetic world (who owns which board,
 * which pin is a repin of which, which image each pin shows, when it happened), built in typed
 * arrays with seeded randomness. Strings are not made here: `sql.ts` derives them in DuckDB from
 * these integers, so this stays fast (no per-row objects) and deterministic.
 *
 * The realism that matters for the jobs downstream:
 * - user activity, board sizes and image popularity are heavy-tailed (Pareto weights, and
 *   preferential attachment: a repin copies a uniformly chosen earlier pin, so an image's chance
 *   of being repinned grows with its pin count — a Yule process, power-law popularity);
 * - repins of repins form chains; a repin shows the image (and title, link…) of its root upload;
 * - the same image is uploaded independently more than once;
 * - an upload's image has its board's true category w.p. `uploadAffinity`; a repin lands on a board
 *   whose true category is the image's category w.p. `repinAffinity`;
 * - exactly round(mislabelRate × boards) boards carry an owner-assigned category that is wrong.
 */
import { CATEGORIES } from '../catalog/index.js';
import { AliasTable, Rng, shuffle } from './random.js';
import type { ScaleCounts } from './scales.js';
import { CATEGORY_WEIGHTS, COUNTRY_WEIGHTS } from './vocabulary.js';

export interface ModelParams {
  counts: ScaleCounts;
  seed: number;
  /** Seconds since the Unix epoch of the data set's date (00:00 UTC); everything happens before it. */
  endEpoch: number;
  mislabelRate: number;
  uploadAffinity: number;
  repinAffinity: number;
}

/** Share of pins that are repins once the world has warmed up. */
export const REPIN_PROBABILITY = 0.72;
/** Share of uploads that re-upload an image already on the site (independently, not a repin). */
export const REUPLOAD_PROBABILITY = 0.1;
/** Pins span this many days before the date. */
export const PIN_WINDOW_DAYS = 730;
const DAY = 86_400;
const NUM_CATEGORIES = CATEGORIES.length;

/**
 * Timestamps are int32 seconds relative to `baseEpoch` (six years before the date): compact in
 * typed arrays, and DuckDB turns them into TIMESTAMPs.
 */
export interface World {
  baseEpoch: number;
  users: { count: number; country: Uint8Array; createdAt: Int32Array };
  boards: {
    count: number;
    /** 1-based user id. */
    owner: Int32Array;
    trueCategory: Uint8Array;
    assignedCategory: Uint8Array;
    createdAt: Int32Array;
  };
  pins: {
    count: number;
    /** 1-based board id. */
    board: Int32Array;
    /** 1-based user id. */
    pinner: Int32Array;
    /** 1-based pin id of the parent; 0 for an upload. */
    parent: Int32Array;
    /** 1-based pin id of the root upload (itself for an upload). */
    root: Int32Array;
    /** 0-based image index. */
    image: Int32Array;
    /** The image's category (index into CATEGORIES). */
    category: Uint8Array;
    /** Repin hops from the root upload (0 for an upload). */
    depth: Uint16Array;
    createdAt: Int32Array;
  };
  images: { count: number; category: Uint8Array; uploads: Int32Array; pins: Int32Array };
}

/** Stream ids: each part of the world draws from its own generator. */
const STREAM = { users: 1, boards: 2, mislabel: 3, pins: 4, times: 5 } as const;

export function buildWorld(params: ModelParams, onProgress?: (done: number, total: number) => void): World {
  const { counts, seed } = params;
  const baseEpoch = params.endEpoch - 6 * 365 * DAY;
  const end = params.endEpoch - baseEpoch;
  const pinStart = end - PIN_WINDOW_DAYS * DAY;

  // ---- users: country and a heavy-tailed activity weight ----
  const U = counts.users;
  const userRng = new Rng(seed, STREAM.users);
  const countryTable = new AliasTable(COUNTRY_WEIGHTS.map(([, w]) => w));
  const country = new Uint8Array(U);
  const activity = new Float64Array(U);
  for (let u = 0; u < U; u++) {
    country[u] = countryTable.sample(userRng);
    activity[u] = Math.min(userRng.pareto(1.6), 500);
  }

  // ---- boards: every user owns one; the rest go to users by activity ----
  const B = counts.boards;
  const boardRng = new Rng(seed, STREAM.boards);
  const owner = new Int32Array(B);
  for (let b = 0; b < Math.min(U, B); b++) owner[b] = b + 1;
  const byActivity = new AliasTable(activity);
  for (let b = U; b < B; b++) owner[b] = byActivity.sample(boardRng) + 1;
  shuffle(owner, boardRng);
  const categoryTable = new AliasTable(CATEGORY_WEIGHTS);
  const trueCategory = new Uint8Array(B);
  const boardWeight = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    trueCategory[b] = categoryTable.sample(boardRng);
    boardWeight[b] = Math.min(boardRng.pareto(1.3), 5000);
  }
  // Exactly round(rate × B) mislabeled boards, chosen by a seeded shuffle.
  const assignedCategory = trueCategory.slice();
  const mislabelRng = new Rng(seed, STREAM.mislabel);
  const order = new Int32Array(B);
  for (let b = 0; b < B; b++) order[b] = b;
  shuffle(order, mislabelRng);
  const mislabeled = Math.round(params.mislabelRate * B);
  for (let k = 0; k < mislabeled; k++) {
    const b = order[k]!;
    assignedCategory[b] = (trueCategory[b]! + 1 + mislabelRng.int(NUM_CATEGORIES - 1)) % NUM_CATEGORIES;
  }

  // Boards by category, for repins that follow the image's category.
  const boardsOf: Int32Array[] = [];
  const aliasOf: AliasTable[] = [];
  {
    const sizes = new Int32Array(NUM_CATEGORIES);
    for (let b = 0; b < B; b++) sizes[trueCategory[b]!]!++;
    for (let c = 0; c < NUM_CATEGORIES; c++) boardsOf.push(new Int32Array(sizes[c]!));
    const fill = new Int32Array(NUM_CATEGORIES);
    for (let b = 0; b < B; b++) {
      const c = trueCategory[b]!;
      boardsOf[c]![fill[c]!++] = b;
    }
    for (let c = 0; c < NUM_CATEGORIES; c++) {
      const members = boardsOf[c]!;
      const w = new Float64Array(members.length);
      for (let k = 0; k < members.length; k++) w[k] = boardWeight[members[k]!]!;
      aliasOf.push(new AliasTable(w, members));
    }
  }
  const allBoards = new AliasTable(boardWeight);

  // ---- pins ----
  const P = counts.pins;
  const rng = new Rng(seed, STREAM.pins);
  const timeRng = new Rng(seed, STREAM.times);
  // What a repin reads from its (random) parent, side by side in one cache line:
  // [image, root pin id, depth | category << 16, board id]. De-interleaved after the loop.
  let rec = new Int32Array(4 * P);
  const pinner = new Int32Array(P);
  const parent = new Int32Array(P);
  const createdAt = new Int32Array(P);
  // Per board: [owner, true category], for the same reason.
  const boardInfo = new Int32Array(2 * B);
  for (let b = 0; b < B; b++) {
    boardInfo[2 * b] = owner[b]!;
    boardInfo[2 * b + 1] = trueCategory[b]!;
  }
  // Images: at most one per upload.
  const imageCategory = new Uint8Array(P);
  const imageUploads = new Int32Array(P);
  const imagePins = new Int32Array(P);
  let images = 0;
  // Per category, the images of its uploads (an image appears once per upload: rich get richer).
  const uploadsOf = Array.from({ length: NUM_CATEGORIES }, () => new GrowableInt32());
  const warmup = Math.max(1, Math.floor(P / 200));
  const slot = (end - pinStart - 2) / P;
  const progressEvery = 1 << 20;

  for (let i = 0; i < P; i++) {
    let t = Math.floor(pinStart + (i + timeRng.float()) * slot);
    const r = 4 * i;
    if (i >= warmup && rng.chance(REPIN_PROBABILITY)) {
      const j = rng.int(i);
      const q = 4 * j;
      const img = rec[q]!;
      const depthCat = rec[q + 2]!;
      const c = depthCat >>> 16;
      const parentBoard = rec[q + 3]! - 1;
      // Decide the category first, then avoid the parent's own board within that decision, so the
      // measured affinity stays what the flag says.
      const sameCategory = rng.chance(params.repinAffinity);
      let b = pickRepinBoard(c, sameCategory);
      for (let attempt = 0; attempt < 8 && b === parentBoard; attempt++) b = pickRepinBoard(c, sameCategory);
      rec[r] = img;
      rec[r + 1] = rec[q + 1]!;
      rec[r + 2] = (c << 16) | Math.min((depthCat & 0xffff) + 1, 0xffff);
      rec[r + 3] = b + 1;
      pinner[i] = boardInfo[2 * b]!;
      parent[i] = j + 1;
      imagePins[img]!++;
      // Times grow with the pin id (a slot of ≥ 2 s per pin), so only a close parent can clash.
      if (i - j < 16 && t <= createdAt[j]!) t = createdAt[j]! + 1;
    } else {
      const b = allBoards.sample(rng);
      const boardCat = boardInfo[2 * b + 1]!;
      const c = rng.chance(params.uploadAffinity)
        ? boardCat
        : (boardCat + 1 + rng.int(NUM_CATEGORIES - 1)) % NUM_CATEGORIES;
      const pool = uploadsOf[c]!;
      let img: number;
      if (pool.length > 0 && rng.chance(REUPLOAD_PROBABILITY)) {
        img = pool.get(rng.int(pool.length));
      } else {
        img = images++;
        imageCategory[img] = c;
      }
      pool.push(img);
      imageUploads[img]!++;
      imagePins[img]!++;
      rec[r] = img;
      rec[r + 1] = i + 1;
      rec[r + 2] = c << 16;
      rec[r + 3] = b + 1;
      pinner[i] = boardInfo[2 * b]!;
      parent[i] = 0;
    }
    createdAt[i] = t;
    if (onProgress && (i & (progressEvery - 1)) === 0) onProgress(i, P);
  }
  const board = new Int32Array(P);
  const root = new Int32Array(P);
  const image = new Int32Array(P);
  const category = new Uint8Array(P);
  const depth = new Uint16Array(P);
  for (let i = 0, r = 0; i < P; i++, r += 4) {
    image[i] = rec[r]!;
    root[i] = rec[r + 1]!;
    category[i] = rec[r + 2]! >>> 16;
    depth[i] = rec[r + 2]! & 0xffff;
    board[i] = rec[r + 3]!;
  }
  rec = new Int32Array(0); // 16 bytes per pin: let it go before DuckDB needs the memory

  function pickRepinBoard(c: number, sameCategory: boolean): number {
    const members = boardsOf[c]!;
    if (sameCategory && members.length > 0) return aliasOf[c]!.sample(rng);
    if (members.length === B) return aliasOf[c]!.sample(rng);
    // Another category's board: rejection from the global table (c holds a small share of boards).
    for (;;) {
      const b = allBoards.sample(rng);
      if (boardInfo[2 * b + 1] !== c) return b;
    }
  }

  // ---- creation times: a board before its first pin, a user before their first board ----
  const boardCreated = new Int32Array(B).fill(2_147_483_647);
  for (let i = 0; i < P; i++) {
    const b = board[i]! - 1;
    if (createdAt[i]! < boardCreated[b]!) boardCreated[b] = createdAt[i]!;
  }
  const earliest = pinStart - 365 * DAY;
  for (let b = 0; b < B; b++) {
    const first = boardCreated[b]!;
    boardCreated[b] =
      first === 2_147_483_647
        ? earliest + boardRng.int(end - earliest)
        : Math.max(earliest, first - 1 - boardRng.int(60 * DAY));
  }
  const userCreated = new Int32Array(U).fill(2_147_483_647);
  for (let b = 0; b < B; b++) {
    const u = owner[b]! - 1;
    if (boardCreated[b]! < userCreated[u]!) userCreated[u] = boardCreated[b]!;
  }
  for (let u = 0; u < U; u++) {
    const first = userCreated[u]!;
    userCreated[u] =
      first === 2_147_483_647
        ? earliest + userRng.int(end - earliest)
        : Math.max(0, first - 1 - userRng.int(200 * DAY));
  }
  onProgress?.(P, P);

  return {
    baseEpoch,
    users: { count: U, country, createdAt: userCreated },
    boards: { count: B, owner, trueCategory, assignedCategory, createdAt: boardCreated },
    pins: { count: P, board, pinner, parent, root, image, category, depth, createdAt },
    images: {
      count: images,
      category: imageCategory.subarray(0, images),
      uploads: imageUploads.subarray(0, images),
      pins: imagePins.subarray(0, images),
    },
  };
}

/** An append-only int32 list (per-category upload pools). */
class GrowableInt32 {
  private data = new Int32Array(64);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index]!;
  }
}
