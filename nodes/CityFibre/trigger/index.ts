/** The trigger's pieces, in the order a delivery flows through them. */
export * from './refusals';
export * from './inboundAuth';
export * from './readBody';
export * from './classify';
export * from './dedupe';
export * from './acknowledge';
export * from './summarise';
export * from './receive';
export * from './settings';
export * from './log';
export * from './description';
export * from './webhook';
