/** The synthetic data generator (SPEC §2): `disco gen` and the first stage of `disco demo`. */
export {
  type DatasetSummary,
  GENERATOR_VERSION,
  type GenOptions,
  type GenProgress,
  type GenSummary,
  generateRawData,
  PINS_PER_PART,
  RAW_DATASETS,
  type RawDatasetName,
  type RawManifest,
} from './generate.js';
export { DEFAULTS, MAX_SEED } from './options.js';
export { SCALE_NAMES, SCALES, type ScaleCounts, type ScaleName } from './scales.js';
export type { RealismStats } from './stats.js';
export { type DatasetFingerprint, fingerprintRaw } from './fingerprint.js';
