export { checkEvidence, type CheckedEvidence, type EvidenceCheck, type EvidenceCheckInput } from './evidence.js';
export { excerptAppearsIn, normalizeCommand } from './excerpt-match.js';
export { planFixRound, type FixRoundInput } from './fix-rounds.js';
export { FixRoundError } from './errors.js';
