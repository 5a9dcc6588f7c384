/**
 * Realism statistics of a generated world, computed from the model's typed arrays (no second pass
 * over the Parquet). They go into the summary and the raw manifest, so a data set documents itself.
 */
import type { World } from './model.js';

export interface RealismStats {
  /** Share of pins that are repins. */
  repinShare: number;
  /** The most repin hops from an upload to a pin (a chain of N+1 pins). */
  deepestChain: number;
  /** Share of images uploaded independently more than once. */
  reuploadedImageShare: number;
  /** Share of all pins held by the 1% most-pinned images. */
  top1PctImagePinShare: number;
  /** Share of boards whose owner-assigned category is wrong. */
  mislabelRate: number;
  /** Share of uploads whose image has the board's true category. */
  uploadAffinity: number;
  /** Share of repins that land on a board of the image's category. */
  repinAffinity: number;
  images: number;
  maxPinsPerImage: number;
  maxPinsPerBoard: number;
  maxPinsPerUser: number;
  medianPinsPerUser: number;
}

export function worldStats(world: World): RealismStats {
  const { pins, boards, users, images } = world;
  let repins = 0;
  let deepest = 0;
  let uploadsOnCategory = 0;
  let repinsOnCategory = 0;
  const perBoard = new Int32Array(boards.count);
  const perUser = new Int32Array(users.count);
  for (let i = 0; i < pins.count; i++) {
    const b = pins.board[i]! - 1;
    const onCategory = boards.trueCategory[b] === pins.category[i];
    if (pins.parent[i] !== 0) {
      repins++;
      if (onCategory) repinsOnCategory++;
      if (pins.depth[i]! > deepest) deepest = pins.depth[i]!;
    } else if (onCategory) uploadsOnCategory++;
    perBoard[b]!++;
    perUser[pins.pinner[i]! - 1]!++;
  }
  let reuploaded = 0;
  for (let k = 0; k < images.count; k++) if (images.uploads[k]! > 1) reuploaded++;
  const popularity = Int32Array.from(images.pins).sort();
  const top = Math.max(1, Math.ceil(images.count / 100));
  let topPins = 0;
  for (let k = popularity.length - top; k < popularity.length; k++) topPins += popularity[k]!;
  let mislabeled = 0;
  for (let b = 0; b < boards.count; b++)
    if (boards.trueCategory[b] !== boards.assignedCategory[b]) mislabeled++;
  const userSorted = perUser.slice().sort();
  const uploads = pins.count - repins;
  return {
    repinShare: ratio(repins, pins.count),
    deepestChain: deepest,
    reuploadedImageShare: ratio(reuploaded, images.count),
    top1PctImagePinShare: ratio(topPins, pins.count),
    mislabelRate: ratio(mislabeled, boards.count),
    uploadAffinity: ratio(uploadsOnCategory, uploads),
    repinAffinity: ratio(repinsOnCategory, repins),
    images: images.count,
    maxPinsPerImage: popularity[popularity.length - 1] ?? 0,
    maxPinsPerBoard: max(perBoard),
    maxPinsPerUser: userSorted[userSorted.length - 1] ?? 0,
    medianPinsPerUser: userSorted[Math.floor(userSorted.length / 2)] ?? 0,
  };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1e6) / 1e6);
function max(values: Int32Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m;
}
