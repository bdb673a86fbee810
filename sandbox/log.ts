/**
 * The sandbox's log: one line per exchange or change, never a secret. Failures the operator must
 * see (a state file not saved, a notification given up on, an internal error) carry the level
 * 'error', so a quiet CLI still prints them.
 */
export type LogLevel = 'info' | 'error';

export type SandboxLog = (line: string, level?: LogLevel) => void;
