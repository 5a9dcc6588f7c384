/** The generator's scales (SPEC §2): users, boards and pins exactly as the table fixes them. */
export const SCALES = {
  tiny: { users: 1_000, boards: 3_000, pins: 20_000 },
  small: { users: 10_000, boards: 30_000, pins: 300_000 },
  medium: { users: 100_000, boards: 300_000, pins: 3_000_000 },
  large: { users: 1_000_000, boards: 3_000_000, pins: 30_000_000 },
} as const;

export type ScaleName = keyof typeof SCALES;
export interface ScaleCounts {
  readonly users: number;
  readonly boards: number;
  readonly pins: number;
}
export const SCALE_NAMES = Object.keys(SCALES) as ScaleName[];
