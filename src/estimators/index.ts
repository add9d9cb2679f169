/** Mutual-information estimators of MITRA-VIB: the VIB encoder, MINE (Jensen-Shannon) and CLUB. */
export { VibEncoder, klLoss } from './vib.js';
export type { VibEncoderOptions, VibOutput } from './vib.js';
export { MineEstimator } from './mine.js';
export type { MineOptions } from './mine.js';
export { ClubEstimator } from './club.js';
export type { ClubOptions } from './club.js';
