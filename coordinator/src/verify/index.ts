export { planFixRound, type FixRoundInput } from './fix-rounds.js';
export { warrantsFix } from './fix-decision.js';
export { requiredCommandsFor } from './required-commands.js';
export { FixRoundError } from './errors.js';
