import { CoordinateError } from '@coordinate/protocol';

export type SandboxErrorCode = 'outside_root' | 'protected_path' | 'invalid_path';

/** A path a tool was given that it must not touch. The message is written for the model to read. */
export class SandboxError extends CoordinateError {
  declare readonly code: SandboxErrorCode;
  constructor(code: SandboxErrorCode, message: string, data?: { path: string }) {
    super(code, message, data);
  }
}

export type ToolErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'not_unique'
  | 'no_change'
  | 'is_directory'
  | 'not_a_directory'
  | 'binary_file'
  | 'unknown_encoding'
  | 'unencodable'
  | 'not_read'
  | 'changed_since_read'
  | 'too_large'
  | 'invalid_regex'
  | 'invalid_pattern'
  | 'lease_denied'
  | 'unavailable';

/** A tool call that could not do its job; the toolset turns it into an error result the model reads. */
export class ToolError extends CoordinateError {
  declare readonly code: ToolErrorCode;
  constructor(code: ToolErrorCode, message: string, data?: unknown) {
    super(code, message, data);
  }
}

/** A caller (not the model) used the toolset wrongly, e.g. asked it to run `complete_task`. */
export class ToolsetUsageError extends CoordinateError {
  constructor(message: string) {
    super('toolset_usage', message);
  }
}

/** A tool policy from config that does not validate; the message names the field. */
export class ToolPolicyError extends CoordinateError {
  constructor(message: string, data?: unknown) {
    super('invalid_tool_policy', message, data);
  }
}
