export { collectSecrets } from './secrets.js';
export { detectSecrets, redactDetected, type SecretFinding } from './detect-secrets.js';
export { createRedactor, REDACTED, type Redactor } from './redact.js';
export { redactDeep, isSensitiveKey } from './redact-deep.js';
export { createLogger, closeLogger, type LoggerOptions, type Logger, type Level } from './logger.js';
