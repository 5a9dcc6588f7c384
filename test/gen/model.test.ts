import { describe, expect, it } from 'vitest';
import { buildWorld, type ModelParams } from '../../src/gen/model.js';
import { SCALES } from '../../src/gen/scales.js';
import { worldStats } from '../../src/gen/stats.js';

const END = Date.parse('2026-01-01T00:00:00Z') / 1000;
const params = (over: Partial<ModelParams> = {}): ModelParams => ({
  counts: SCALES.tiny,
  seed: 42,
  endEpoch: END,
  mislabelRate: 0.05,
  uploadAffinity: 0.9,
  repinAffinity: 0.8,
  ...over,
});

describe('the model', () => {
  const world = buildWorld(params());

  it('has exactly the counts of the scale', () => {
    expect([world.users.count, world.boards.count, world.pins.count]).toEqual([1_000, 3_000, 20_000]);
    expect(world.pins.board.length).toBe(20_000);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const again = buildWorld(params());
    expect(Buffer.from(again.pins.parent.buffer).equals(Buffer.from(world.pins.parent.buffer))).toBe(true);
    expect(Buffer.from(again.pins.createdAt.buffer).equals(Buffer.from(world.pins.createdAt.buffer))).toBe(
      true,
    );
    expect(Buffer.from(again.boards.owner.buffer).equals(Buffer.from(world.boards.owner.buffer))).toBe(true);
    const other = buildWorld(params({ seed: 43 }));
    expect(Buffer.from(other.pins.parent.buffer).equals(Buffer.from(world.pins.parent.buffer))).toBe(false);
  });

  it('keeps repin chains consistent: image and root come from the parent, time after it', () => {
    const { pins, boards } = world;
    const bad: string[] = [];
    for (let i = 0; i < pins.count; i++) {
      const p = pins.parent[i]!;
      const b = pins.board[i]!;
      if (b < 1 || b > boards.count || pins.pinner[i] !== boards.owner[b - 1])
        bad.push(`board/pinner of ${i + 1}`);
      if (p === 0) {
        if (pins.root[i] !== i + 1 || pins.depth[i] !== 0) bad.push(`upload ${i + 1}`);
        continue;
      }
      if (p >= i + 1) bad.push(`parent of ${i + 1} is not earlier`);
      if (pins.image[i] !== pins.image[p - 1] || pins.root[i] !== pins.root[p - 1])
        bad.push(`image of ${i + 1}`);
      if (pins.depth[i] !== pins.depth[p - 1]! + 1) bad.push(`depth of ${i + 1}`);
      if (pins.createdAt[i]! <= pins.createdAt[p - 1]!) bad.push(`time of ${i + 1}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('creates boards before their pins and users before their boards, all before the date', () => {
    const { pins, boards, users } = world;
    const end = END - world.baseEpoch;
    const bad: string[] = [];
    for (let i = 0; i < pins.count; i++) {
      if (boards.createdAt[pins.board[i]! - 1]! >= pins.createdAt[i]!) bad.push(`board of pin ${i + 1}`);
      if (pins.createdAt[i]! >= end) bad.push(`pin ${i + 1} after the date`);
    }
    for (let b = 0; b < boards.count; b++) {
      if (users.createdAt[boards.owner[b]! - 1]! >= boards.createdAt[b]!) bad.push(`owner of board ${b + 1}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('has realistic statistics at the defaults', () => {
    const s = worldStats(world);
    expect(s.repinShare).toBeGreaterThan(0.6);
    expect(s.repinShare).toBeLessThan(0.8);
    expect(s.deepestChain).toBeGreaterThanOrEqual(5);
    expect(s.reuploadedImageShare).toBeGreaterThan(0.03);
    expect(s.reuploadedImageShare).toBeLessThan(0.3);
    // heavy tail: the top 1% of images hold far more than 1% of the pins
    expect(s.top1PctImagePinShare).toBeGreaterThan(0.1);
    expect(s.mislabelRate).toBe(0.05);
    expect(s.uploadAffinity).toBeGreaterThan(0.87);
    expect(s.uploadAffinity).toBeLessThan(0.93);
    expect(s.repinAffinity).toBeGreaterThan(0.77);
    expect(s.repinAffinity).toBeLessThan(0.83);
    // heavy-tailed user activity: the busiest user pins far more than the median one
    expect(s.maxPinsPerUser).toBeGreaterThan(20 * s.medianPinsPerUser);
  });

  it('follows the rates it is given', () => {
    const s = worldStats(buildWorld(params({ mislabelRate: 0.3, uploadAffinity: 0.5, repinAffinity: 1 })));
    expect(s.mislabelRate).toBe(0.3);
    expect(s.uploadAffinity).toBeGreaterThan(0.46);
    expect(s.uploadAffinity).toBeLessThan(0.54);
    expect(s.repinAffinity).toBe(1);
    expect(worldStats(buildWorld(params({ mislabelRate: 0 }))).mislabelRate).toBe(0);
  });
});
