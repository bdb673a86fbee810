/** The message catalogue: the one description of CityFibre's messages that everything derives from. */
import * as messages from './messages';
import type { MessageDefinition } from './types';

export * from './types';
export * from './fields';
export * from './messages';
export * from './operations';
export * from './statuses';
export * from './notifications';
export * from './environments';

export const MESSAGES: readonly MessageDefinition[] = Object.values(messages).filter(
	(v): v is MessageDefinition => typeof v === 'object' && v !== null && 'role' in v && 'fields' in v,
);

const BY_NAME = new Map(MESSAGES.map((m) => [m.name, m]));

/** The definition of a body element, by its local name. */
export function messageByName(name: string): MessageDefinition | undefined {
	return BY_NAME.get(name);
}
